package platform

import (
	"strings"
	"testing"
)

func TestPasswordHashIsArgon2idPHC(t *testing.T) {
	for _, p := range []argonParams{argonCheap, {Memory: 1024, Time: 2, Threads: 1, KeyLen: 32}} {
		h, err := hashPassword(t.Context(), "正确的马 battery staple", p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$m=") || strings.Count(h, "$") != 5 {
			t.Fatalf("not a PHC argon2id string: %s", h)
		}
		if ok, err := checkPassword(t.Context(), "正确的马 battery staple", h); !ok || err != nil {
			t.Fatalf("the right password fails: %v %v", ok, err)
		}
		if ok, _ := checkPassword(t.Context(), "正确的马 battery stapl", h); ok {
			t.Fatal("a wrong password passes")
		}
		h2, _ := hashPassword(t.Context(), "正确的马 battery staple", p)
		if h2 == h {
			t.Fatal("two hashes of one password are equal: no salt")
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdA$aGFzaA", "$argon2id$v=19$m=x$c2FsdA$aGFzaA", "$argon2id$v=19$m=64,t=1,p=1$!!$aGFzaA"} {
		if _, err := checkPassword(t.Context(), "x", bad); err == nil {
			t.Errorf("accepted the malformed hash %q", bad)
		}
	}
}

func TestProductionParametersFollowRFC9106(t *testing.T) {
	if argonProduction.Memory < 64*1024 || argonProduction.Time < 3 {
		t.Fatalf("production argon2id parameters too weak: %+v", argonProduction)
	}
}
