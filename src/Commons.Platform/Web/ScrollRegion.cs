using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Commons.Platform.Web;

/// <summary>
/// A box that scrolls sideways when its content is wider than the screen (a table, a long command): without script,
/// a keyboard reaches and scrolls it only if it is focusable, so it is a named region in the tab order
/// (axe <c>scrollable-region-focusable</c>). Name it by the heading of what it holds (<see cref="LabelledBy"/>) or a text.
/// </summary>
/// <example><c>&lt;ScrollRegion LabelledBy="bookings-heading"&gt;&lt;table …&gt;&lt;/ScrollRegion&gt;</c></example>
public sealed class ScrollRegion : ComponentBase
{
    /// <summary>The id of the element that names the region (usually the table's heading).</summary>
    [Parameter] public string? LabelledBy { get; set; }

    /// <summary>The region's name when no element on the page names it.</summary>
    [Parameter] public string? Label { get; set; }

    /// <summary>The box's class: <c>table-wrap</c> (ui.css) unless told otherwise.</summary>
    [Parameter] public string Class { get; set; } = "table-wrap";

    [Parameter] public RenderFragment? ChildContent { get; set; }

    protected override void OnParametersSet()
    {
        if (string.IsNullOrEmpty(LabelledBy) && string.IsNullOrEmpty(Label))
            throw new InvalidOperationException("a ScrollRegion needs a name: LabelledBy or Label");
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", Class);
        builder.AddAttribute(2, "tabindex", "0");
        builder.AddAttribute(3, "role", "region");
        builder.AddAttribute(4, "aria-labelledby", LabelledBy);
        builder.AddAttribute(5, "aria-label", string.IsNullOrEmpty(LabelledBy) ? Label : null);
        builder.AddContent(6, ChildContent);
        builder.CloseElement();
    }
}
