using System.Diagnostics;
using Microsoft.Playwright;

namespace Commons.Web.Tests.Flow;

/// <summary>
/// The checks every page must pass, run in the open page: axe-core, and the house's own — one h1, the page's language,
/// a label for every visible control, text in sufficient contrast (WCAG AA: 4.5:1, 3:1 for large text), nothing wider
/// than the screen outside a scroller, every scroller that scrolls reachable from the keyboard, and every link, button
/// and field — the header's navigation as the main content's actions — visible or reachable (inside the screen's width
/// or a scroller, not cut off by an ancestor's overflow:hidden), and no table cell of the main content hidden.
/// </summary>
public static class PageAudit
{
    /// <summary>Runs in the page: the problems found, one line each.</summary>
    public const string Script = """
        () => {
          const problems = [];
          const screen = document.documentElement.clientWidth;
          // Inside a closed <details> (its summary aside) nothing is shown, though Chromium still gives it a box.
          const folded = e => { const d = e.closest('details:not([open])'); return d !== null && !e.closest('summary'); };
          const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e); return !folded(e) && r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
          const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.name ? '[name=' + e.name + ']' : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          const said = e => ' "' + (e.innerText || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 30) + '"';
          const scrolls = v => v === 'auto' || v === 'scroll';
          const clips = v => v === 'hidden' || v === 'clip';
          // Hidden for the eyes only, on purpose: the skip link, and the 1-px clipped boxes of text for screen readers (.visually-hidden, a card layout's table head).
          const hiddenOnPurpose = e => {
            if (e.closest('.visually-hidden, .skip')) return true;
            for (let n = e; n && n !== document.body; n = n.parentElement) { const r = n.getBoundingClientRect(); if (r.width <= 1 && r.height <= 1 && clips(getComputedStyle(n).overflowX)) return true; }
            return false;
          };
          // The nearest ancestor that scrolls sideways (a table's .table-wrap, a <pre>), or null.
          const scroller = e => { for (let n = e.parentElement; n && n !== document.body; n = n.parentElement) if (scrolls(getComputedStyle(n).overflowX)) return n; return null; };

          // A label for every visible control.
          for (const e of document.querySelectorAll('input, select, textarea')) {
            if (e.type === 'hidden' || !visible(e)) continue;
            const labelled = (e.labels && e.labels.length > 0) || e.getAttribute('aria-label') || e.getAttribute('aria-labelledby') || e.title;
            if (!labelled) problems.push('no label: ' + name(e));
          }
          // Buttons and links have a name.
          for (const e of document.querySelectorAll('button, a[href]')) {
            if (visible(e) && !(e.innerText || '').trim() && !e.getAttribute('aria-label') && !e.title) problems.push('no text: ' + name(e));
          }
          // Contrast of every element that holds text directly.
          const rgba = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(',').map(x => parseFloat(x)); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
          const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
          const background = e => { for (let n = e; n; n = n.parentElement) { const c = rgba(getComputedStyle(n).backgroundColor); if (c && c.a > 0.5) return c; } return { r: 255, g: 255, b: 255, a: 1 }; };
          for (const e of document.querySelectorAll('body *')) {
            if (!visible(e)) continue;
            const text = [...e.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent.trim()).join('');
            if (!text) continue;
            const s = getComputedStyle(e);
            const fg = rgba(s.color), bg = background(e);
            if (!fg) continue;
            const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
            const ratio = (hi + 0.05) / (lo + 0.05);
            const size = parseFloat(s.fontSize), bold = parseInt(s.fontWeight) >= 700;
            const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
            if (ratio < need) problems.push('contrast ' + ratio.toFixed(2) + ' < ' + need + ': ' + name(e) + ' "' + text.slice(0, 40) + '"');
          }
          // Nothing wider than the screen, except inside a scroller (which itself must fit).
          for (const e of document.querySelectorAll('body *')) {
            if (scroller(e) || hiddenOnPurpose(e) || !visible(e)) continue;
            const r = e.getBoundingClientRect();
            if (r.right > screen + 1) { problems.push('wider than the screen: ' + name(e) + ' (' + Math.round(r.right) + ' px)'); break; }
          }
          if (document.documentElement.scrollWidth > screen) problems.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + ' px');
          // A scroller whose content is wider than it is reached from the keyboard: focusable, a region with a name.
          for (const e of document.querySelectorAll('body *')) {
            if (!scrolls(getComputedStyle(e).overflowX) || e.scrollWidth <= e.clientWidth + 1 || !visible(e)) continue;
            const named = e.getAttribute('aria-label') || e.getAttribute('aria-labelledby');
            if (e.tabIndex < 0 || !e.getAttribute('role') || !named) problems.push('scroller not reachable from the keyboard (tabindex="0", role, name): ' + name(e) + (e.querySelector('table[id]') ? ' around table#' + e.querySelector('table[id]').id : ''));
          }
          // Every link, button and field (the header's navigation, the main content's actions): in the screen's width or in a scroller, never cut off.
          const main = document.querySelector('main');
          for (const e of document.body.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
            if (!visible(e) || hiddenOnPurpose(e)) continue;
            const r = e.getBoundingClientRect();
            if ((r.left < -1 || r.right > screen + 1) && !scroller(e)) problems.push('off the screen: ' + name(e) + said(e));
            for (let n = e.parentElement; n && n !== document.body; n = n.parentElement) {
              const s = getComputedStyle(n), a = n.getBoundingClientRect();
              const cutX = clips(s.overflowX) && (r.left < a.left - 1 || r.right > a.right + 1);
              const cutY = clips(s.overflowY) && (r.top < a.top - 1 || r.bottom > a.bottom + 1);
              if (cutX || cutY) { problems.push('cut off by the overflow:hidden of ' + name(n) + ': ' + name(e) + said(e)); break; }
            }
          }
          // Text cut off by its own box, and table cells hidden (a column the reader never sees).
          for (const e of main ? main.querySelectorAll('*') : []) {
            if (hiddenOnPurpose(e) || !visible(e)) continue;
            const s = getComputedStyle(e);
            if (clips(s.overflowX) && e.scrollWidth > e.clientWidth + 1) problems.push('content cut off: ' + name(e) + said(e));
          }
          for (const cell of main ? main.querySelectorAll('td, th') : []) {
            if (!(cell.textContent || '').trim() || hiddenOnPurpose(cell) || visible(cell)) continue;
            if (cell.closest('details:not([open])')) continue;
            problems.push('table cell hidden: ' + name(cell.closest('table')) + ' column ' + (cell.cellIndex + 1) + ' "' + cell.textContent.trim().slice(0, 30) + '"');
          }
          if (document.querySelectorAll('h1').length !== 1) problems.push(document.querySelectorAll('h1').length + ' h1 elements');
          if (!document.documentElement.lang) problems.push('no lang on html');
          return [...new Set(problems)];
        }
        """;

    /// <summary>The house's checks and axe-core over the open page; <paramref name="axeTime"/> is what axe took.</summary>
    public static async Task<(IReadOnlyList<string> Problems, TimeSpan AxeTime)> RunAsync(IPage page)
    {
        var problems = new List<string>(await page.EvaluateAsync<string[]>(Script));
        var watch = Stopwatch.StartNew();
        problems.AddRange((await Axe.ViolationsAsync(page)).Select(v => "axe " + v));
        return (problems, watch.Elapsed);
    }

    /// <summary>Plants one of each problem the audit looks for in the open page's main content.</summary>
    public const string Plant = """
        () => {
          const main = document.querySelector('main');
          const p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#d0d0d0'; main.append(p);
          main.append(document.createElement('input'));
          const wide = document.createElement('div'); wide.style.width = '3000px'; wide.textContent = 'wide'; main.append(wide);
          const far = document.createElement('a'); far.href = '/'; far.textContent = 'far'; far.style.marginLeft = '2900px'; far.style.display = 'inline-block'; wide.append(far);
          const box = document.createElement('div'); box.style.overflow = 'hidden'; box.style.width = '40px'; box.style.whiteSpace = 'nowrap';
          const cut = document.createElement('a'); cut.href = '/'; cut.textContent = 'a link much wider than its box'; box.append(cut); main.append(box);
          const wrap = document.createElement('div'); wrap.style.overflowX = 'auto';
          const row = wrap.appendChild(document.createElement('table')).insertRow();
          row.insertCell().textContent = 'shown';
          const gone = row.insertCell(); gone.textContent = 'hidden column'; gone.style.display = 'none';
          const long = row.insertCell(); long.textContent = 'x'.repeat(600); long.style.whiteSpace = 'nowrap';
          main.append(wrap);
          const image = document.createElement('img'); image.src = '/ui.css'; main.append(image);
        }
        """;
}
