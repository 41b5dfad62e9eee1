// Configuration of the Scalar API reference on /docs (a file, not an inline script: the page's CSP
// allows scripts from this origin only). Everything stays on this origin: no web fonts from a CDN,
// no telemetry, no request proxy — "try it" calls the API directly, same origin.
window.Scalar.createApiReference("#reference", {
  url: "/api/openapi.json",
  slug: "sales-sync-edge",
  title: "Sales-Sync Edge API",
  withDefaultFonts: false,
  telemetry: false,
  proxyUrl: "",
  hideClientButton: false,
  persistAuth: false,
  showDeveloperTools: "never",
  defaultOpenAllTags: true,
  agent: { disabled: true },
});
