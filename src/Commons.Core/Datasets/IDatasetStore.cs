using Commons.Core.Changes;

namespace Commons.Core.Datasets;

public interface IDatasetStore
{
    /// <summary>Stores a new dataset and assigns its <see cref="Dataset.Key"/>; conflict if the slug exists.</summary>
    Dataset Create(Dataset dataset);
    Dataset? Find(string slug);
    IReadOnlyList<Dataset> List();
    /// <summary>Replaces the dataset's settings; when <paramref name="change"/> is given it is appended to the feed in the same transaction.</summary>
    Change? Update(Dataset dataset, ChangeDraft? change);
    /// <summary>Removes the dataset with all its records and changes.</summary>
    void Delete(Dataset dataset);
    /// <summary>
    /// <see cref="Delete(Dataset)"/>, with <paramref name="cleanUp"/> run first in the same transaction on
    /// <paramref name="module"/>'s documents; if it throws, nothing is deleted.
    /// </summary>
    void Delete(Dataset dataset, string module, Action<Modules.IModuleData> cleanUp);
}
