// Starts Swagger UI for /api/v1/docs. Kept in a static file because the CSP forbids inline scripts;
// the page passes the schema URL and the CSRF token as data attributes.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") return;
  var csrfToken = root.dataset.csrfToken || "";
  window.SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    dom_id: "#swagger-ui",
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // The public validator at validator.swagger.io is unreachable on an intranet and must not be called.
    validatorUrl: null,
    // "Try it out" from a logged-in browser uses the session, whose unsafe methods need the CSRF token.
    requestInterceptor: function (request) {
      if (csrfToken) request.headers["X-CSRFToken"] = csrfToken;
      return request;
    },
  });
})();
