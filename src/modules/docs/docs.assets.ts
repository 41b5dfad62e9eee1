/**
 * The API reference page. Everything it needs is served by the Worker itself (no CDN: field
 * networks and this project's build machines have none): a small HTML shell, a stylesheet and a
 * script that renders /api/openapi.json — operations grouped by tag, with parameters, request
 * body schema, responses and a filter box.
 */
export const DOCS_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sales-Sync Edge API reference</title>
<link rel="stylesheet" href="/docs/app.css">
<link rel="icon" href="data:,">
</head>
<body>
<header>
  <h1 id="title">Sales-Sync Edge API</h1>
  <p id="description"></p>
  <input id="filter" type="search" placeholder="Filter operations (path, summary, tag)" aria-label="Filter operations">
  <p><a href="/api/openapi.json">openapi.json</a> · <span id="count">loading…</span></p>
</header>
<main id="operations" aria-live="polite"></main>
<script src="/docs/app.js" defer></script>
</body>
</html>`;

export const DOCS_CSS = `:root{--fg:#1d2330;--muted:#5b6475;--line:#dde2ea;--bg:#f7f8fa;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
body{margin:0 auto;max-width:1100px;padding:1.5rem}
header h1{margin:.2rem 0}header p{color:var(--muted)}
#filter{width:100%;padding:.6rem .8rem;font-size:1rem;border:1px solid var(--line);border-radius:6px;box-sizing:border-box}
h2.tag{margin-top:2rem;text-transform:capitalize;border-bottom:2px solid var(--line);padding-bottom:.3rem}
details.operation{background:#fff;border:1px solid var(--line);border-radius:6px;margin:.5rem 0}
details.operation>summary{cursor:pointer;padding:.6rem .8rem;display:flex;gap:.8rem;align-items:center;list-style:none}
.method{font-weight:700;font-size:.75rem;min-width:4.2rem;text-align:center;padding:.2rem .4rem;border-radius:4px;color:#fff;text-transform:uppercase}
.get{background:#2f7d4f}.post{background:#2d5fa8}.put{background:#a86a12}.patch{background:#7a4fa8}.delete{background:#b0342f}
.path{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600}
.summary{color:var(--muted)}.lock{margin-left:auto;font-size:.8rem;color:var(--muted)}
.body{padding:0 1rem 1rem;border-top:1px solid var(--line)}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;border-bottom:1px solid var(--line);padding:.3rem .4rem;vertical-align:top}
pre{background:#0f1420;color:#e6e9ef;padding:.7rem;border-radius:6px;overflow:auto;font-size:.8rem;max-height:24rem}
code{font-family:ui-monospace,Menlo,Consolas,monospace}`;

export const DOCS_JS = `(function () {
  "use strict";
  var el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  };
  var resolve = function (doc, schema) {
    if (schema && schema.$ref) {
      var name = schema.$ref.split("/").pop();
      return (doc.components && doc.components.schemas && doc.components.schemas[name]) || schema;
    }
    return schema;
  };
  var pre = function (value) { return el("pre", {}, [JSON.stringify(value, null, 2)]); };
  var render = function (doc) {
    document.getElementById("title").textContent = doc.info.title + " " + doc.info.version;
    document.getElementById("description").textContent = doc.info.description || "";
    var byTag = {};
    Object.keys(doc.paths).sort().forEach(function (path) {
      Object.keys(doc.paths[path]).forEach(function (method) {
        var op = doc.paths[path][method];
        var tag = (op.tags && op.tags[0]) || "other";
        (byTag[tag] = byTag[tag] || []).push({ path: path, method: method, op: op });
      });
    });
    var root = document.getElementById("operations");
    var total = 0;
    Object.keys(byTag).sort().forEach(function (tag) {
      var section = el("section", { "data-tag": tag }, [el("h2", { class: "tag" }, [tag])]);
      byTag[tag].forEach(function (item) {
        total++;
        var op = item.op;
        var body = el("div", { class: "body" });
        if (op.description) body.append(el("p", {}, [op.description]));
        if (op.parameters && op.parameters.length) {
          var rows = op.parameters.map(function (p) {
            return el("tr", {}, [el("td", {}, [el("code", {}, [p.name])]), el("td", {}, [p.in]), el("td", {}, [p.required ? "yes" : "no"]), el("td", {}, [el("code", {}, [JSON.stringify(p.schema)])])]);
          });
          body.append(el("h4", {}, ["Parameters"]), el("table", {}, [el("tr", {}, [el("th", {}, ["name"]), el("th", {}, ["in"]), el("th", {}, ["required"]), el("th", {}, ["schema"])])].concat(rows)));
        }
        var media = op.requestBody && op.requestBody.content && op.requestBody.content["application/json"];
        if (media) {
          body.append(el("h4", {}, ["Request body (application/json)"]), pre(resolve(doc, media.schema)));
        }
        body.append(el("h4", {}, ["Responses"]));
        Object.keys(op.responses).forEach(function (status) {
          var r = op.responses[status];
          body.append(el("p", {}, [el("strong", {}, [status]), " " + r.description]));
          var content = r.content && r.content["application/json"];
          if (content && status < 400) body.append(pre(resolve(doc, content.schema)));
        });
        var secured = op.security && op.security.length > 0;
        var summary = el("summary", {}, [
          el("span", { class: "method " + item.method }, [item.method]),
          el("span", { class: "path" }, [item.path]),
          el("span", { class: "summary" }, [op.summary || ""]),
          el("span", { class: "lock" }, [secured ? "bearer token" : "public"]),
        ]);
        var details = el("details", { class: "operation", id: op.operationId, "data-operation-id": op.operationId, "data-search": (item.method + " " + item.path + " " + (op.summary || "") + " " + tag).toLowerCase() }, [summary, body]);
        section.append(details);
      });
      root.append(section);
    });
    document.getElementById("count").textContent = total + " operations";
    document.getElementById("filter").addEventListener("input", function (e) {
      var q = e.target.value.toLowerCase();
      document.querySelectorAll("details.operation").forEach(function (d) {
        d.hidden = q !== "" && d.getAttribute("data-search").indexOf(q) === -1;
      });
    });
    document.body.setAttribute("data-ready", "true");
  };
  fetch("/api/openapi.json", { headers: { accept: "application/json" } })
    .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
    .then(render)
    .catch(function (err) { document.getElementById("count").textContent = "Could not load the API description: " + err.message; });
})();`;
