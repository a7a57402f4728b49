/**
 * The pages' one stylesheet, served as a file (the CSP allows no inline style). Its URL carries a
 * hash of its content, so it can be cached forever and a new version is fetched at once.
 */
import { createHash } from "node:crypto";

// Colours follow the user's theme (`data-theme` on <html>) or, for "system", the OS preference.
// Text keeps WCAG AA contrast (4.5:1) in both: dark red text (--danger) is too light to carry white text,
// so filled danger buttons have their own --danger-fill.
const CSS = `
:root{--bg:#f6f8fa;--card:#fff;--fg:#1f2328;--muted:#59636e;--line:#d0d7de;--accent:#0969da;--ok-bg:#dafbe1;--ok-line:#4ac26b;
--err-bg:#ffebe9;--err-line:#ff8182;--danger:#cf222e;--danger-fill:#cf222e;--primary:#1f883d;--primary-line:#1a7f37;--input:#fff;color-scheme:light}
@media (prefers-color-scheme:dark){:root:not([data-theme=light]){--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;
--accent:#4493f8;--ok-bg:#12261e;--ok-line:#2ea043;--err-bg:#25171c;--err-line:#f85149;--danger:#f85149;--danger-fill:#da3633;--input:#0d1117;color-scheme:dark}}
:root[data-theme=dark]{--bg:#0d1117;--card:#161b22;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--accent:#4493f8;--ok-bg:#12261e;
--ok-line:#2ea043;--err-bg:#25171c;--err-line:#f85149;--danger:#f85149;--danger-fill:#da3633;--input:#0d1117;color-scheme:dark}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--accent)}
.top{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;padding:.75rem 1rem;
background:var(--card);border-bottom:1px solid var(--line)}
.brand{font-weight:700;font-size:1.1rem;color:var(--fg);text-decoration:none}
.top nav{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem 1rem}
.top nav form{margin:0}
main{max-width:48rem;margin:1.5rem auto;padding:0 1rem}
main.narrow{max-width:26rem}
h1{font-size:1.6rem;margin:.5rem 0 1rem}
h2{font-size:1.2rem;margin:0 0 .75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:1.25rem;margin:0 0 1.25rem}
.card>:first-child{margin-top:0}.card>:last-child{margin-bottom:0}
.muted{color:var(--muted)}
.small{font-size:.875rem}
label{display:block;font-weight:600;margin:.75rem 0 .25rem}
label.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
label.check input{margin-top:.3rem}
input,select{font:inherit;color:inherit;background:var(--input);width:100%;max-width:100%;padding:.45rem .6rem;border:1px solid var(--line);border-radius:6px}
input[type=checkbox]{width:auto}
input:focus-visible,select:focus-visible,button:focus-visible,a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.hint{font-size:.875rem;color:var(--muted);margin:.25rem 0 0}
button,.button{display:inline-block;font:inherit;font-weight:600;line-height:1.25;padding:.5rem 1rem;border-radius:6px;border:1px solid var(--line);
background:var(--bg);color:var(--fg);cursor:pointer;text-decoration:none;text-align:center}
button.primary,.button.primary{background:var(--primary);border-color:var(--primary-line);color:#fff}
button.danger{color:var(--danger)}
button.danger-fill{background:var(--danger-fill);border-color:var(--danger-fill);color:#fff}
button.link{background:none;border:none;padding:0;color:var(--accent);font-weight:400;text-decoration:underline}
.actions{display:flex;flex-wrap:wrap;gap:.5rem;margin-top:1rem;align-items:center}
.provider{display:flex;align-items:center;justify-content:center;width:100%;margin-top:.5rem}
.github{display:flex;align-items:center;justify-content:center;gap:.5rem;width:100%;background:#24292f;border-color:#24292f;color:#fff}
.or{display:flex;align-items:center;gap:.75rem;color:var(--muted);margin:1.25rem 0 .25rem}
.or::before,.or::after{content:"";flex:1;border-top:1px solid var(--line)}
.alert{border:1px solid var(--err-line);background:var(--err-bg);border-radius:6px;padding:.6rem .8rem;margin:0 0 1rem}
.notice{border:1px solid var(--ok-line);background:var(--ok-bg);border-radius:6px;padding:.6rem .8rem;margin:0 0 1rem}
.profile{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.profile img{border-radius:50%;border:1px solid var(--line);background:var(--bg)}
.profile p{margin:.15rem 0}
.avatar{border-radius:50%;vertical-align:middle;border:1px solid var(--line);background:var(--bg)}
.badge{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .5rem;border-radius:2em;border:1px solid var(--line);color:var(--muted);vertical-align:middle}
.badge.on{border-color:var(--ok-line);color:var(--fg)}
.badge.off{border-color:var(--err-line);color:var(--danger)}
ul.plain{list-style:none;padding:0;margin:0}
.session{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;padding:.75rem 0;border-top:1px solid var(--line)}
.session:first-child{border-top:none}
.session form{margin:0}
.search{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap;margin-bottom:1rem}
a.danger{color:var(--danger)}
.search div{flex:1 1 12rem}
.table-wrap{overflow-x:auto}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.6rem .5rem;border-top:1px solid var(--line);vertical-align:top}
thead th{border-top:none;font-size:.875rem;color:var(--muted)}
td .actions{margin-top:0;gap:.25rem .75rem}
.pager{display:flex;justify-content:space-between;align-items:center;gap:1rem;margin-top:1rem;flex-wrap:wrap}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:0 1rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);clip-path:inset(50%);white-space:nowrap}
@media (max-width:40rem){
  main{margin-top:1rem}
  table,thead,tbody,tr,th,td{display:block}
  thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
  tr{border-top:1px solid var(--line);padding:.5rem 0}
  td{border:none;padding:.15rem 0}
  td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:.875rem}
}
`;

/** The stylesheet's text. */
export const STYLESHEET = CSS.trim();

/** Where the layout links the stylesheet: content-addressed, so `immutable` caching is safe. */
export const STYLESHEET_PATH = `/assets/gatehouse-${createHash("sha256").update(STYLESHEET).digest("hex").slice(0, 12)}.css`;
