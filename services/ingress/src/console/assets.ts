/**
 * The console's stylesheet and its one script, served from memory (no build step, nothing
 * fetched from elsewhere; the content security policy allows only these). Colours keep a
 * contrast of at least 4.5:1 (WCAG AA) on their backgrounds; focus is always visible.
 */
export const CONSOLE_CSS = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--link:#0550ae;--panel:#f6f8fa;
--ok:#116329;--warn:#7d4e00;--bad:#a40e26;--accent:#0550ae}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);background:var(--bg)}
a{color:var(--link)}
:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:var(--fg);color:#fff;padding:.5rem 1rem}
.skip:focus{left:1rem}
.top{display:flex;align-items:center;gap:2rem;padding:.6rem 1.5rem;background:#24292f;color:#fff}
.brand{font-weight:700;letter-spacing:.02em}
.top ul{display:flex;gap:1.25rem;list-style:none;margin:0;padding:0}
.top a{color:#fff;text-decoration:none;padding:.2rem 0;border-bottom:2px solid transparent}
.top a[aria-current=page]{border-bottom-color:#fff}
main{max-width:78rem;margin:0 auto;padding:1rem 1.5rem 3rem}
h1{font-size:1.5rem;margin:.5rem 0 1rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr));gap:1rem}
.wide{grid-column:1/-1}.span2{grid-column:span 2}
@media (max-width:62rem){.span2{grid-column:1/-1}}
.scroll{overflow-x:auto}
figure{margin:0}figure svg{display:block;width:100%;height:auto}
.panel{border:1px solid var(--line);border-radius:6px;padding:.75rem 1rem;background:var(--bg)}
.panel h2{margin-top:0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
.muted{color:var(--muted)}
.status{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:.85em;border:1px solid currentColor}
.status-active,.healthy,.outcome-ok{color:var(--ok)}
.status-degraded,.status-pending,.outcome-warn{color:var(--warn)}
.status-reauth_required,.status-revoked,.unhealthy,.outcome-bad{color:var(--bad)}
form.filters{display:flex;flex-wrap:wrap;gap:.75rem;align-items:flex-end;margin-bottom:1rem}
label{display:flex;flex-direction:column;font-size:.85em;font-weight:600;gap:.2rem}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #8c959f;border-radius:4px;background:#fff;color:var(--fg)}
button,.button{cursor:pointer;background:var(--accent);color:#fff;border-color:var(--accent);text-decoration:none;display:inline-block;padding:.35rem .75rem;border-radius:4px}
button.secondary,.button.secondary{background:#fff;color:var(--accent)}
button.danger,.button.danger{background:var(--bad);border-color:var(--bad)}
.actions{display:flex;gap:.75rem;flex-wrap:wrap;margin:.5rem 0 1rem}
dl.fields{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1.25rem;margin:0}
dl.fields dt{font-weight:600;color:var(--muted)}dl.fields dd{margin:0}
.pager{display:flex;gap:1rem;margin-top:1rem}
.notice{border-left:4px solid var(--accent);background:var(--panel);padding:.5rem 1rem;margin:0 0 1rem}
.notice.bad{border-left-color:var(--bad)}
.copy{display:flex;gap:.5rem}.copy input{flex:1;min-width:0}
svg text{font-size:12px;fill:var(--muted)}
.bar-ok{fill:#2da44e}.bar-bad{fill:#cf222e}
`;

/**
 * Copy buttons (`data-copy` names the input whose value to copy): the clipboard needs a
 * script. Everything else works without one.
 */
export const CONSOLE_JS = `
document.addEventListener('click', function (event) {
  var button = event.target.closest('button[data-copy]');
  if (!button) return;
  var input = document.getElementById(button.getAttribute('data-copy'));
  if (!input) return;
  var done = function () { button.textContent = 'Copied'; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
  } else {
    input.select();
    document.execCommand('copy');
    done();
  }
});
`;
