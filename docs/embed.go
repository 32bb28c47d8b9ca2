// Package docs holds the documents beian-server serves: the Filing API v1
// contract, docs/openapi.yaml (OpenAPI 3.1), embedded so that the binary
// serves exactly the document its tests validated against.
package docs

import (
	_ "embed" // for the //go:embed directive below
	"net/http"
)

// OpenAPI is docs/openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// ContentTypeYAML is the media type of the OpenAPI document (RFC 9512).
const ContentTypeYAML = "application/yaml"

// OpenAPIHandler serves OpenAPI (GET /v1/openapi.yaml).
func OpenAPIHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", ContentTypeYAML)
		w.Header().Set("Cache-Control", "public, max-age=300")
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(OpenAPI)
	})
}
