package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/beian-dev/beian/docs"
	"github.com/beian-dev/beian/internal/api"
)

// Contract is docs/openapi.yaml, loaded once, ready to check requests and
// responses against.
type Contract struct {
	doc    *openapi3.T
	router routers.Router
}

var (
	contractOnce sync.Once
	contract     *Contract
	contractErr  error
)

// LoadContract parses and validates the embedded docs/openapi.yaml.
func LoadContract() (*Contract, error) {
	contractOnce.Do(func() {
		doc, err := openapi3.NewLoader().LoadFromData(docs.OpenAPI)
		if err != nil {
			contractErr = fmt.Errorf("load docs/openapi.yaml: %w", err)
			return
		}
		if err := doc.Validate(context.Background()); err != nil {
			contractErr = fmt.Errorf("docs/openapi.yaml is invalid: %w", err)
			return
		}
		// The document names the default address; tests listen on
		// random ports, so match paths on any host.
		doc.Servers = nil
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			contractErr = fmt.Errorf("route docs/openapi.yaml: %w", err)
			return
		}
		contract = &Contract{doc: doc, router: router}
	})
	return contract, contractErr
}

// filterOptions: authentication is the server's business (the authorisation
// matrix tests it); the contract checks shapes.
var filterOptions = &openapi3filter.Options{
	AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
	MultiError:         true,
}

// CheckRequest checks req (whose body is body) against the document: a
// path and method it lists, parameters, headers and body as described.
// It returns the validation input to check the response with.
func (c *Contract) CheckRequest(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	route, params, err := c.router.FindRoute(req)
	if err != nil {
		return nil, fmt.Errorf("%s %s is not an operation of docs/openapi.yaml: %w", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    cloneWithBody(req, body),
		PathParams: params,
		Route:      route,
		Options:    filterOptions,
	}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		return in, fmt.Errorf("request %s %s does not match docs/openapi.yaml: %w", req.Method, req.URL.Path, err)
	}
	in.Request = cloneWithBody(req, body)
	return in, nil
}

// CheckResponse checks an answer. With in nil (a request deliberately
// outside the contract, or one the document has no route for), the answer
// must still be a problem+json Problem when it is an error, and cannot be a
// success.
func (c *Contract) CheckResponse(in *openapi3filter.RequestValidationInput, req *http.Request, resp *http.Response, body []byte) error {
	if resp.Header.Get(api.HeaderRequestID) == "" {
		return fmt.Errorf("%s %s → %d: no %s header", req.Method, req.URL.Path, resp.StatusCode, api.HeaderRequestID)
	}
	if in == nil {
		if resp.StatusCode < 400 {
			return fmt.Errorf("%s %s → %d: a success for a request docs/openapi.yaml does not describe", req.Method, req.URL.Path, resp.StatusCode)
		}
		return c.CheckProblem(resp, body)
	}
	// A success must be one the operation lists by its exact status:
	// the default response is for problems only.
	if resp.StatusCode < 400 && in.Route.Operation.Responses.Status(resp.StatusCode) == nil {
		return fmt.Errorf("%s %s → %d: docs/openapi.yaml lists no such status for this operation", req.Method, in.Route.Path, resp.StatusCode)
	}
	if resp.StatusCode >= 400 && isJSON(resp.Header.Get("Content-Type")) && !isProblem(resp.Header.Get("Content-Type")) {
		return fmt.Errorf("%s %s → %d: an error must be %s, not %s", req.Method, in.Route.Path, resp.StatusCode, api.ContentTypeProblem, resp.Header.Get("Content-Type"))
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.StatusCode,
		Header:                 resp.Header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                filterOptions,
	}
	if err := openapi3filter.ValidateResponse(req.Context(), out); err != nil {
		return fmt.Errorf("response to %s %s (%d) does not match docs/openapi.yaml: %w\nbody: %s", req.Method, in.Route.Path, resp.StatusCode, err, clip(body))
	}
	return nil
}

// CheckProblem checks that an answer is an application/problem+json body
// matching the Problem schema (codes from api.Codes, no unknown fields).
func (c *Contract) CheckProblem(resp *http.Response, body []byte) error {
	if !isProblem(resp.Header.Get("Content-Type")) {
		return fmt.Errorf("status %d with Content-Type %q, want %s", resp.StatusCode, resp.Header.Get("Content-Type"), api.ContentTypeProblem)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("problem body is not JSON: %w: %s", err, clip(body))
	}
	schema := c.doc.Components.Schemas["Problem"].Value
	if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors()); err != nil {
		return fmt.Errorf("problem does not match the Problem schema: %w\nbody: %s", err, clip(body))
	}
	var p api.Problem
	_ = json.Unmarshal(body, &p)
	if p.Status != resp.StatusCode || p.Code.Status() != resp.StatusCode {
		return fmt.Errorf("problem %q says status %d, its code maps to %d, the answer is %d", p.Code, p.Status, p.Code.Status(), resp.StatusCode)
	}
	return nil
}

func isProblem(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == api.ContentTypeProblem
}

func isJSON(ct string) bool {
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/json" || mt == api.ContentTypeProblem
}

func cloneWithBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(req.Context())
	if body == nil {
		r.Body = http.NoBody
	} else {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return r
}

func clip(b []byte) string {
	const limit = 2000
	if len(b) > limit {
		return string(b[:limit]) + "…"
	}
	return string(b)
}

// errReporter is the part of testing.TB the transport needs; Errorf is safe
// from any goroutine, which RoundTrip may run on.
type errReporter interface {
	Helper()
	Errorf(format string, args ...any)
}

// uncheckedKey marks a request a test sends outside the contract on
// purpose (malformed JSON, unknown fields, a missing If-Match...).
type uncheckedKey struct{}

// Unchecked marks req as deliberately outside docs/openapi.yaml: the
// transport does not check the request, and checks only that the answer is
// a proper problem (or, for a route the document knows, a documented answer).
func Unchecked(req *http.Request) *http.Request {
	return req.WithContext(context.WithValue(req.Context(), uncheckedKey{}, true))
}

func isUnchecked(req *http.Request) bool {
	v, _ := req.Context().Value(uncheckedKey{}).(bool)
	return v
}

// Transport checks every request and response passing through it against
// docs/openapi.yaml and reports each mismatch as a test error.
type Transport struct {
	T        errReporter
	Base     http.RoundTripper // nil: http.DefaultTransport
	Contract *Contract
}

// NewTransport returns a checking transport over base for t.
func NewTransport(t errReporter, base http.RoundTripper) (*Transport, error) {
	c, err := LoadContract()
	if err != nil {
		return nil, err
	}
	return &Transport{T: t, Base: base, Contract: c}, nil
}

// RoundTrip sends req and checks both directions.
func (tr *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := tr.Base
	if base == nil {
		base = http.DefaultTransport
	}
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}

	var in *openapi3filter.RequestValidationInput
	if isUnchecked(req) {
		// Still check the answer against the operation when the
		// document knows the route, so deliberately bad requests get
		// documented problems.
		if route, params, err := tr.Contract.router.FindRoute(req); err == nil {
			in = &openapi3filter.RequestValidationInput{Request: cloneWithBody(req, reqBody), PathParams: params, Route: route, Options: filterOptions}
		}
	} else {
		var err error
		in, err = tr.Contract.CheckRequest(req, reqBody)
		if err != nil {
			tr.T.Helper()
			tr.T.Errorf("contract: %v", err)
			in = nil
		}
	}

	resp, err := base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	if in == nil && !isUnchecked(req) {
		return resp, nil // the request was already reported
	}
	if err := tr.Contract.CheckResponse(in, req, resp, body); err != nil {
		tr.T.Helper()
		tr.T.Errorf("contract: %v", err)
	}
	return resp, nil
}
