/// The dashboard's inline stylesheet and its small sorting script. Both are constant
/// text: no data is ever written into them.
enum DashboardStyle {
    /// Layout from a phone to a wide screen, chart text styles, and a print stylesheet.
    static let css = """
    :root{--ink:#1d2430;--muted:#5b6676;--line:#dfe4ea;--bg:#f4f6f9;--card:#fff;--accent:#0072B2;--high:#D55E00;--medium:#E69F00;--low:#56B4E9}
    *{box-sizing:border-box}
    html{-webkit-text-size-adjust:100%}
    body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
    .wrap{max-width:1280px;margin:0 auto;padding:0 20px}
    header.top{background:#14213d;color:#fff;padding:22px 0 18px}
    header.top h1{margin:0 0 4px;font-size:26px;font-weight:650;letter-spacing:-.01em}
    header.top .sub{margin:0;color:#c9d3e3;font-size:14px}
    header.top .sub b{color:#fff}
    header.top code{font:12px/1 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:rgba(255,255,255,.12);padding:2px 5px;border-radius:4px;color:#fff;word-break:break-all}
    .rules{list-style:none;margin:10px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
    .rules li{font-size:12px;color:#dfe6f1;border:1px solid rgba(255,255,255,.25);border-radius:999px;padding:2px 10px}
    .kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,220px),1fr));gap:14px;margin:-1px 0 0;padding:18px 0 6px}
    .kpi{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;border-top:4px solid var(--accent)}
    .kpi.risk{border-top-color:var(--high)}
    .kpi.grow{border-top-color:#009E73}
    .kpi .label{font-size:13px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em;font-weight:600}
    .kpi .value{font-size:32px;font-weight:700;line-height:1.15;margin-top:4px;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
    .kpi .unit{font-size:14px;font-weight:600;color:var(--muted);margin-left:4px}
    .kpi .detail{font-size:13.5px;color:var(--muted);margin-top:4px}
    .kpi .detail b{color:var(--ink);font-variant-numeric:tabular-nums}
    nav.toc{display:flex;flex-wrap:wrap;gap:6px;padding:10px 0 4px}
    nav.toc a{font-size:13px;color:var(--accent);text-decoration:none;background:var(--card);border:1px solid var(--line);border-radius:999px;padding:4px 12px}
    nav.toc a:hover,nav.toc a:focus{border-color:var(--accent)}
    section.block{margin:22px 0 8px}
    section.block>h2{font-size:21px;margin:0 0 10px;font-weight:650;letter-spacing:-.01em}
    .figs{display:flex;flex-wrap:wrap;gap:8px;margin:0 0 14px;padding:0}
    .figs div{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:6px 12px}
    .figs dt{font-size:12px;color:var(--muted)}
    .figs dd{margin:0;font-size:17px;font-weight:650;font-variant-numeric:tabular-nums}
    .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,480px),1fr));gap:16px;align-items:stretch}
    .card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;min-width:0}
    .card.wide{grid-column:1/-1}
    .card h3{font-size:15.5px;margin:0 0 2px;font-weight:650}
    .card .hint{font-size:13px;color:var(--muted);margin:0 0 8px}
    figure{margin:0}
    svg.chart{display:block;max-width:100%;height:auto;font-family:inherit;margin-top:4px}
    svg.chart.n{display:none}
    svg.chart text{font-size:13px;fill:var(--ink)}
    svg.chart .tick text{font-size:11.5px;fill:var(--muted)}
    svg.chart text.lg{font-size:12px;fill:var(--muted)}
    svg.chart text.ax{font-size:12px;font-weight:600;fill:var(--muted)}
    svg.chart text.val{font-size:12.5px;font-weight:600;font-variant-numeric:tabular-nums}
    svg.chart text.hv{font-size:11.5px;font-variant-numeric:tabular-nums}
    svg.chart text.inv{fill:#fff}
    svg.chart text.halo{paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
    svg.chart text.sm{font-size:12px}
    svg.chart .b{font-weight:700}
    svg.chart .grid line{stroke:#e7ebf0;stroke-width:1}
    svg.chart line.axis{stroke:#9aa5b4;stroke-width:1}
    .actions{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,480px),1fr));gap:16px}
    ol.rank{list-style:none;margin:6px 0 0;padding:0;counter-reset:r}
    ol.rank li{counter-increment:r;display:grid;grid-template-columns:28px 1fr auto;gap:2px 10px;padding:10px 0;border-top:1px solid var(--line)}
    ol.rank li:first-child{border-top:0}
    ol.rank li::before{content:counter(r);grid-row:1/3;width:24px;height:24px;border-radius:50%;background:#eef2f7;color:var(--muted);font-size:12px;font-weight:700;display:flex;align-items:center;justify-content:center}
    ol.rank .who{font-weight:650;overflow-wrap:anywhere}
    ol.rank .id{font-weight:400;color:var(--muted);font-size:12.5px;margin-left:6px}
    ol.rank .amt{font-weight:700;text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
    ol.rank .amt small{display:block;font-weight:500;color:var(--muted);font-size:11.5px}
    ol.rank .why{grid-column:2/4;font-size:13.5px;color:var(--muted)}
    .badge{display:inline-block;font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.04em;border-radius:4px;padding:1px 6px;margin-left:6px;vertical-align:1px;color:#fff;background:#8c8c8c}
    .badge.l0{background:#B84F00}.badge.l1{background:#E69F00;color:#1d2430}.badge.l2{background:#56B4E9;color:#1d2430}
    .prod{display:inline-block;font-size:12px;font-weight:650;color:#005a8c;background:#e6f1f8;border-radius:4px;padding:1px 6px;margin-left:6px}
    .more{font-size:13px;color:var(--muted);margin:8px 0 0}
    .more a{color:var(--accent)}
    .tables{columns:2 440px;column-gap:16px;margin-top:16px}
    .tables>.card{break-inside:avoid;margin:0 0 16px}
    .tables>.card.wide{column-span:all;margin-top:16px}
    .tw{overflow:auto;-webkit-overflow-scrolling:touch;margin-top:6px;max-width:100%;max-height:560px}
    table.data{border-collapse:collapse;width:100%;font-size:13.5px;font-variant-numeric:tabular-nums}
    td,th,dd,dt,li,b,code,span,h2,h3,.who,.why,.amt,text{unicode-bidi:isolate}
    table.data th,table.data td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
    table.data th{font-size:12px;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:650;white-space:nowrap;background:#f8fafc;position:sticky;top:0}
    table.data .num{text-align:right;white-space:nowrap}
    table.data td.na{color:var(--muted)}
    table.data tbody tr:hover{background:#f5f9fd}
    table.data th button{all:inherit;cursor:pointer;padding:0}
    table.data th button::after{content:" \\2195";opacity:.35}
    table.data th[aria-sort=ascending] button::after{content:" \\2191";opacity:1}
    table.data th[aria-sort=descending] button::after{content:" \\2193";opacity:1}
    table.data th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
    .note{background:#fff8e6;border:1px solid #f0d48a;border-radius:8px;padding:8px 12px;font-size:13.5px;margin:10px 0 0}
    footer{color:var(--muted);font-size:12.5px;padding:24px 0 32px}
    @media (max-width:600px){
      svg.chart.w{display:none}
      svg.chart.n{display:block}
      body{font-size:14px}
      .wrap{padding:0 12px}
      header.top h1{font-size:22px}
      .kpis{grid-template-columns:1fr 1fr;gap:10px}
      .kpi{padding:10px 12px}
      .kpi .value{font-size:24px}
      .kpi .label{font-size:11.5px}
      .kpi .detail{font-size:12.5px}
      .card{padding:12px}
      table.data{font-size:12px}
      table.data th,table.data td{padding:5px 6px}
      table.data th{font-size:11px;letter-spacing:0}
      ol.rank .id{display:block;margin-left:0}
      .figs{display:grid;grid-template-columns:1fr 1fr;gap:6px}
      .figs div{padding:5px 10px}
      .figs dd{font-size:15.5px}
    }
    @media print{
      @page{margin:12mm}
      *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
      body{background:#fff;font-size:11pt}
      .kpis{grid-template-columns:repeat(4,1fr)}
      .kpi .value{font-size:22px}
      .kpi .label{font-size:10.5px}
      header.top{background:#fff;color:#000;border-bottom:2px solid #000;padding:0 0 8px}
      header.top .sub,header.top .sub b,header.top code,.rules li{color:#000;background:none}
      .rules li{border-color:#999}
      nav.toc{display:none}
      .card,.figs div{border-color:#bbb;box-shadow:none}
      .card,figure,.kpi,ol.rank li,table.data tr{break-inside:avoid}
      section.block>h2{break-after:avoid}
      .tw{overflow:visible;max-height:none}
      table.data th{position:static}
      table.data th button::after{content:""}
      svg.chart.w{display:block}
      svg.chart.n{display:none}
      .tables{columns:1}
      .grid,.actions{grid-template-columns:1fr 1fr}
      .card.wide{grid-column:1/-1}
      a{color:inherit;text-decoration:none}
    }
    """

    /// The exact text between `<script>` and `</script>`.
    static let scriptElementText = "\n" + script + "\n"

    /// The Content-Security-Policy source that allows `scriptElementText` and no other
    /// script: `'sha256-<base64 of its SHA-256>'`. A test recomputes it with an
    /// independent SHA-256 (Python's hashlib); change it whenever the script changes.
    static let scriptHash = "'sha256-ZE1SNcAfG0HkMj4a0XUXwDnS5YgZMs/LfYGxlhH2dRU='"

    /// Makes every data table sortable by clicking (or pressing Enter on) a header; the
    /// page reads the same without it. Numbers sort by their exact `data-v` value.
    static let script = """
    (function(){
      function key(td,num){if(!td)return num?-Infinity:"";if(num){var f=parseFloat(td.getAttribute("data-v"));return isNaN(f)?-Infinity:f;}return td.textContent.toLowerCase();}
      var tables=document.querySelectorAll("table.data");
      Array.prototype.forEach.call(tables,function(table){
        if(!table.tHead||!table.tBodies.length)return;
        var body=table.tBodies[0];
        Array.prototype.forEach.call(body.rows,function(r,i){r.setAttribute("data-i",i);});
        var ths=table.tHead.rows[0].cells;
        Array.prototype.forEach.call(ths,function(th,col){
          var b=document.createElement("button");b.type="button";
          while(th.firstChild)b.appendChild(th.firstChild);
          th.appendChild(b);
          b.addEventListener("click",function(){
            var num=th.classList.contains("num");
            var cur=th.getAttribute("aria-sort");
            var dir=cur?(cur==="ascending"?"descending":"ascending"):(num?"descending":"ascending");
            Array.prototype.forEach.call(ths,function(o){o.removeAttribute("aria-sort");});
            th.setAttribute("aria-sort",dir);
            var rows=Array.prototype.slice.call(body.rows);
            rows.sort(function(a,b){var x=key(a.cells[col],num),y=key(b.cells[col],num);var c=num?(x<y?-1:x>y?1:0):String(x).localeCompare(String(y));if(dir==="descending")c=-c;return c||(a.getAttribute("data-i")-b.getAttribute("data-i"));});
            rows.forEach(function(r){body.appendChild(r);});
          });
        });
      });
    })();
    """
}
