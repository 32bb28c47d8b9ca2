package docs_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/beian-dev/beian/docs"
	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/badge"
	"github.com/beian-dev/beian/internal/filing"
)

func load(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
	if err != nil {
		t.Fatalf("load docs/openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("docs/openapi.yaml is not a valid OpenAPI document: %v", err)
	}
	return doc
}

func TestDocumentIsValidOpenAPI31(t *testing.T) {
	doc := load(t)
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi = %q, want 3.1", doc.OpenAPI)
	}
	// Every operation has an ID, a summary, and an answer for problems.
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s %s: operationId and summary are required", method, path)
			}
			if op.Responses.Default() == nil {
				t.Errorf("%s %s: no default (problem) response", method, path)
			}
		}
	}
}

func TestEveryErrorCodeIsInTheProblemEnum(t *testing.T) {
	doc := load(t)
	code := doc.Components.Schemas["Problem"].Value.Properties["code"].Value
	var inDoc []string
	for _, v := range code.Enum {
		inDoc = append(inDoc, v.(string))
	}
	var inGo []string
	for _, c := range api.Codes() {
		inGo = append(inGo, string(c))
	}
	sameSet(t, "Problem.code enum", inDoc, inGo)
}

// route is one line of the route list in internal/api/routes.go.
type route struct{ method, path string }

// routesFromSource reads the comment block of internal/api/routes.go: the
// one list of the API's operations that the server, the client and this
// document all follow.
func routesFromSource(t *testing.T) []route {
	t.Helper()
	src, err := os.ReadFile("../internal/api/routes.go")
	if err != nil {
		t.Fatal(err)
	}
	methods := []string{"GET", "POST", "PUT", "DELETE", "PATCH"}
	var out []route
	for _, line := range strings.Split(string(src), "\n") {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "//"))
		if len(fields) < 2 || !slices.Contains(methods, fields[0]) || !strings.HasPrefix(fields[1], "/") {
			continue
		}
		// "GET /healthz, /readyz, /metrics" lists several paths at once.
		paths := []string{fields[1]}
		for i := 2; i < len(fields) && strings.HasSuffix(paths[len(paths)-1], ","); i++ {
			paths[len(paths)-1] = strings.TrimSuffix(paths[len(paths)-1], ",")
			paths = append(paths, fields[i])
		}
		for _, p := range paths {
			if i := strings.IndexAny(p, "?["); i >= 0 { // query strings: "/v1/sites?state=", "/v1/sites[?dry_run=true]"
				p = p[:i]
			}
			out = append(out, route{fields[0], p})
		}
	}
	if len(out) < 40 {
		t.Fatalf("found only %d routes in routes.go; has its format changed?", len(out))
	}
	return out
}

func TestPathsMatchRoutesGo(t *testing.T) {
	doc := load(t)
	var inDoc, inGo []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			inDoc = append(inDoc, method+" "+path)
		}
	}
	for _, r := range routesFromSource(t) {
		inGo = append(inGo, r.method+" "+r.path)
	}
	sameSet(t, "operations", inDoc, inGo)
}

// schemaTypes pairs each component schema with the Go type the server
// encodes or decodes for it.
var schemaTypes = map[string]any{
	"Problem":               api.Problem{},
	"FieldError":            api.FieldError{},
	"SMSCodeRequest":        api.SMSCodeRequest{},
	"RegisterRequest":       api.RegisterRequest{},
	"Account":               api.Account{},
	"LoginRequest":          api.LoginRequest{},
	"Session":               api.Session{},
	"PasswordResetRequest":  api.PasswordResetRequest{},
	"EmailVerifyRequest":    api.EmailVerifyRequest{},
	"UserCreateRequest":     api.UserCreateRequest{},
	"Address":               filing.Address{},
	"ResponsiblePerson":     filing.ResponsiblePerson{},
	"Subject":               filing.Subject{},
	"SubjectWrite":          api.SubjectWrite{},
	"SubjectRecord":         api.SubjectRecord{},
	"AccessProvider":        filing.AccessProvider{},
	"Registrar":             filing.Registrar{},
	"Attachment":            filing.Attachment{},
	"PriorApproval":         filing.PriorApproval{},
	"Contact":               filing.Contact{},
	"EmergencyContact":      filing.EmergencyContact{},
	"Site":                  filing.Site{},
	"SiteWrite":             api.SiteWrite{},
	"DomainName":            api.DomainName{},
	"SiteRecord":            api.SiteRecord{},
	"SiteList":              api.SiteList{},
	"AmendRequest":          api.AmendRequest{},
	"FieldChange":           api.FieldChange{},
	"ChangeRequest":         api.ChangeRequest{},
	"AmendResult":           api.AmendResult{},
	"CancelRequest":         api.CancelRequest{},
	"ClaimRequest":          api.ClaimRequest{},
	"ClaimChallenge":        api.ClaimChallenge{},
	"CompetingSubject":      api.CompetingSubject{},
	"ClaimChallengeRequest": api.ClaimChallengeRequest{},
	"DomainCheckRequest":    api.DomainCheckRequest{},
	"DomainCheck":           api.DomainCheck{},
	"DomainCheckResponse":   api.DomainCheckResponse{},
	"Badge":                 api.Badge{},
	"PublicRecord":          api.PublicRecord{},
	"Meta":                  api.Meta{},
	"Notification":          api.Notification{},
	"NotificationList":      api.NotificationList{},
	"WebhookCreate":         api.WebhookCreate{},
	"Webhook":               api.Webhook{},
	"WebhookList":           api.WebhookList{},
	"WebhookDelivery":       api.WebhookDelivery{},
	"WebhookDeliveryList":   api.WebhookDeliveryList{},
	"WebhookEvent":          api.WebhookEvent{},
	"AuditEvent":            api.AuditEvent{},
	"AuditList":             api.AuditList{},
	"ReviewItem":            api.ReviewItem{},
	"ReviewQueue":           api.ReviewQueue{},
	"ReturnRequest":         api.ReturnRequest{},
	"ImportLineError":       api.ImportLineError{},
	"ImportResult":          api.ImportResult{},
	"OutboxMessage":         api.OutboxMessage{},
	"OutboxList":            api.OutboxList{},
}

// TestSchemasMatchGoTypes compares every object schema with its Go struct,
// field by field: the same JSON names both ways, "required" exactly the
// fields Go always encodes (no omitempty), and no unknown fields allowed.
func TestSchemasMatchGoTypes(t *testing.T) {
	doc := load(t)
	for name, v := range schemaTypes {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		s := ref.Value
		var goNames, goRequired []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			tag := rt.Field(i).Tag.Get("json")
			if tag == "" || tag == "-" {
				t.Errorf("%s.%s has no json tag", rt.Name(), rt.Field(i).Name)
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			goNames = append(goNames, name)
			if !strings.Contains(opts, "omitempty") {
				goRequired = append(goRequired, name)
			}
		}
		var docNames []string
		for p := range s.Properties {
			docNames = append(docNames, p)
		}
		sameSet(t, name+" properties", docNames, goNames)
		sameSet(t, name+" required", s.Required, goRequired)
		if s.AdditionalProperties.Has == nil || *s.AdditionalProperties.Has {
			t.Errorf("schema %s must say additionalProperties: false (unknown fields are refused)", name)
		}
	}
	// Every object schema in the document is checked above.
	for name, ref := range doc.Components.Schemas {
		if ref.Value.Type.Is("object") && len(ref.Value.Properties) > 0 {
			// Health ({"status":"ok"}) has no type in internal/api: the
			// server writes it literally.
			if _, ok := schemaTypes[name]; !ok && name != "Health" {
				t.Errorf("schema %s has no Go type in this test", name)
			}
		}
	}
}

func TestEnumsMatchTheRuleBook(t *testing.T) {
	doc := load(t)
	strs := func(vs any) []string {
		rv := reflect.ValueOf(vs)
		out := make([]string, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).String()
		}
		return out
	}
	certs := append(strs(filing.UnitCertTypes), strs(filing.PersonCertTypes)...)
	slices.Sort(certs)
	certs = slices.Compact(certs)
	tests := map[string][]string{
		"SubjectKind":        strs(filing.SubjectKinds),
		"UnitType":           strs(filing.UnitTypes),
		"CertType":           certs,
		"Jurisdiction":       strs(filing.Jurisdictions),
		"AccessMethod":       strs(filing.AccessMethods),
		"ServiceType":        strs(filing.ServiceTypes),
		"InteractiveService": strs(filing.InteractiveServices),
		"ImportantField":     strs(filing.ImportantFields),
		"PriorApprovalItem":  strs(filing.PriorApprovalItems),
		"Language":           strs(filing.Languages),
		"SiteState":          strs(filing.States),
		"SiteStateOrEmpty":   strs(filing.States),
		"SubjectState":       strs(filing.SubjectStates),
		"Role":               {string(api.RoleSponsor), string(api.RoleReviewer), string(api.RoleAdmin)},
		"SMSPurpose":         {string(api.SMSRegister), string(api.SMSResetPassword)},
		"ReviewKind":         {string(api.ReviewSubject), string(api.ReviewSite), string(api.ReviewChange), string(api.ReviewCancel)},
		"DomainStatus": {string(api.DomainAvailable), string(api.DomainYours), string(api.DomainTaken),
			string(api.DomainClaimable), string(api.DomainInvalid)},
	}
	for name, want := range tests {
		ref := doc.Components.Schemas[name]
		if ref == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		var got []string
		for _, v := range ref.Value.Enum {
			if s := v.(string); s != "" { // "" marks a field an unfinished draft may leave empty
				got = append(got, s)
			}
		}
		sameSet(t, name+" enum", got, want)
	}

	var formats []string
	for _, v := range doc.Paths.Find("/v1/sites/{id}/badge").Get.Parameters.GetByInAndName("query", "format").Schema.Value.Enum {
		formats = append(formats, v.(string))
	}
	sameSet(t, "badge formats", formats, strs(badge.Formats))

	var types []string
	for _, v := range doc.Components.Schemas["Attachment"].Value.Properties["content_type"].Value.Enum {
		types = append(types, v.(string))
	}
	sameSet(t, "attachment types", types, filing.AttachmentTypes)

	batch := doc.Components.Schemas["DomainCheckRequest"].Value.Properties["domains"].Value
	if batch.MaxItems == nil || *batch.MaxItems != api.MaxBatchCheck {
		t.Errorf("DomainCheckRequest.domains maxItems = %v, want %d", batch.MaxItems, api.MaxBatchCheck)
	}
}

func TestOpenAPIHandler(t *testing.T) {
	rec := httptest.NewRecorder()
	docs.OpenAPIHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/openapi.yaml", nil))
	if rec.Code != 200 || rec.Header().Get("Content-Type") != docs.ContentTypeYAML || rec.Body.String() != string(docs.OpenAPI) {
		t.Errorf("status %d, type %q, %d bytes", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
	}
}

func sameSet(t *testing.T, what string, got, want []string) {
	t.Helper()
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	var missing, extra []string
	for _, x := range w {
		if !slices.Contains(g, x) {
			missing = append(missing, x)
		}
	}
	for _, x := range g {
		if !slices.Contains(w, x) {
			extra = append(extra, x)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("%s: missing in the document %v; not in the Go code %v", what, missing, extra)
	}
}
