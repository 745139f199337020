"""The MutationObserver that ``bench_pages.py`` installs in every page: it stamps the last change a
user could see (the "settled" time) and counts the app's script runs.  Apart, without the bench's
dependencies, so that ``tests/test_bench_pages_observer.py`` can hold it to what it claims."""

# Stamps every DOM change and counts the app's script runs (a fragment's too).  Changes inside a
# screen reader's live region are not stamped: a dropdown's hidden "19 options available." log is
# trimmed by timers ~2.3 s after a pick, which is nothing a user sees (it made every multiselect pick
# on 文章检索 read 1.2 s; 2026-12-02 10:15).  Nor are changes inside a <canvas>: its children are the
# fallback content a browser never paints — the table grid writes its screen-reader copy of the cells
# there 0.2–0.35 s after it has drawn them, and sampling the canvas' pixels every 15 ms showed none of
# them change then (项目进度 and 文章检索 opened by URL, 2026-12-03 14:15).
OBSERVER_JS = """
window.__pb = {last: performance.now(), runs: 0, state: ''};
const __pbSpoken = (n) => {
  const el = n && (n.nodeType === 1 ? n : n.parentElement);
  return !!(el && (el.closest('[aria-live]') || (el.tagName !== 'CANVAS' && el.closest('canvas'))));
};
new MutationObserver((records) => {
  let seen = false;
  for (const r of records) {
    if (r.attributeName === 'data-test-script-state') {
      const s = r.target.getAttribute('data-test-script-state');
      if (s === 'running' && window.__pb.state !== 'running') window.__pb.runs += 1;
      window.__pb.state = s;
    }
    const nodes = [...r.addedNodes, ...r.removedNodes];
    // children added to or removed from a canvas (removed ones are detached: judged by the target)
    const unpainted = r.type === 'childList' && r.target.nodeType === 1 && !!r.target.closest('canvas');
    if (!unpainted && !__pbSpoken(r.target) && !(nodes.length && nodes.every(__pbSpoken))) seen = true;
  }
  if (seen) window.__pb.last = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
