package httpmw

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"

	"github.com/beian-dev/beian/internal/api"
)

// maxRequestIDLen bounds a caller-supplied X-Request-Id: longer or odd
// values are replaced, so that a client cannot inject text into our logs.
const maxRequestIDLen = 64

// RequestID gives every request an ID: the caller's X-Request-Id when it is
// short and plain, else a fresh random one. The ID is in the context
// (RequestIDFrom), on the response's X-Request-Id header, and in every
// problem+json body, so a user's error report leads to the log line.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri, r := withInfo(r)
		if ri.id == "" {
			ri.id = r.Header.Get(api.HeaderRequestID)
			if !plainID(ri.id) {
				ri.id = NewRequestID()
			}
		}
		w.Header().Set(api.HeaderRequestID, ri.id)
		next.ServeHTTP(w, r)
	})
}

// NewRequestID is 16 random bytes in hex.
func NewRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// WithRequestID returns a context carrying id, for work started outside an
// HTTP request (the sandbox's automatic review) that should still log one.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, infoKey{}, &requestInfo{id: id})
}

func plainID(s string) bool {
	if s == "" || len(s) > maxRequestIDLen {
		return false
	}
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}
