// Starts Swagger UI on /schema/swagger (kept out of the page so the page needs no inline script).
window.addEventListener("load", function () {
  "use strict";
  /* global SwaggerUIBundle */
  SwaggerUIBundle({
    url: document.body.getAttribute("data-spec"),
    dom_id: "#swagger-container",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
  });
});
