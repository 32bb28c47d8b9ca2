package forms

import (
	"errors"
	"testing"

	"github.com/beian-dev/beian/internal/api"
	"github.com/beian-dev/beian/internal/filing"
	"github.com/beian-dev/beian/internal/i18n"
)

// Issue 10: a domain the server could not be asked about is accepted and
// reported, not silently skipped.
func TestUncheckedDomainsAreReported(t *testing.T) {
	env := testEnv(i18n.EN)
	var unchecked []string
	env.CheckDomain = func(string) (*api.DomainCheck, error) { return nil, errors.New("connection refused") }
	env.Unchecked = func(d string) { unchecked = append(unchecked, d) }
	if err := newDomainChecker(env).check("例子.中国"); err != nil {
		t.Fatalf("a server that cannot be asked refused the domain: %v", err)
	}
	if len(unchecked) != 1 || unchecked[0] != "例子.中国" {
		t.Errorf("unchecked = %v", unchecked)
	}
}

// Issue 10: the sandbox's .test domains are accepted by the form as by
// --from, and refused on a real server.
func TestSandboxDomainsInTheForm(t *testing.T) {
	site := filing.Site{HasPrimaryDomain: true}
	set := func(s *filing.Site, v string) { s.PrimaryDomain = v }
	sandbox := testEnv(i18n.EN)
	sandbox.AllowNonPublicIP = true
	if err := sandbox.siteCheck(&site, "site.primary_domain", set)("shop.test"); err != nil {
		t.Errorf("the sandbox form refused shop.test: %v", err)
	}
	strict := testEnv(i18n.EN)
	if err := strict.siteCheck(&site, "site.primary_domain", set)("shop.test"); err == nil {
		t.Error("a real server's form accepted shop.test")
	}
}
