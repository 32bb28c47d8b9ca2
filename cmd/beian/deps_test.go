package main

import (
	"os/exec"
	"strings"
	"testing"
)

// beian is a client: its sandbox runs the server over SQLite, so it links
// no PostgreSQL driver, no Prometheus and no OpenAPI validator. Each of
// those is registered or imported by beian-server alone (pgdriver,
// internal/metrics, servertest).
func TestClientLinksNoServerOnlyPackages(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, banned := range []string{"github.com/jackc/pgx", "github.com/prometheus/", "github.com/getkin/kin-openapi", "internal/metrics", "sqlstore/pgdriver"} {
			if strings.Contains(pkg, banned) {
				t.Errorf("beian links %s", pkg)
			}
		}
	}
}
