package platform

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"

	"golang.org/x/crypto/argon2"
)

// argonParams are argon2id's cost parameters. The production values follow
// RFC 9106's second recommended option (64 MiB, 3 passes); the PHC string
// records them, so raising them later still verifies old hashes.
type argonParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
	KeyLen  uint32
}

var (
	argonProduction = argonParams{Memory: 64 * 1024, Time: 3, Threads: 2, KeyLen: 32}
	// argonCheap keeps -race test runs fast; Options.CheapPasswordHashing.
	argonCheap = argonParams{Memory: 64, Time: 1, Threads: 1, KeyLen: 32}
)

// hashPassword returns the PHC string of an argon2id hash:
// $argon2id$v=19$m=65536,t=3,p=2$<salt>$<hash> (unpadded standard base64).
func hashPassword(ctx context.Context, password string, p argonParams) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := idKey(ctx, []byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	if err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("password hash is not an argon2id PHC string")

// checkPassword reports whether password matches the PHC string phc, in
// constant time with respect to the hash.
func checkPassword(ctx context.Context, password, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p argonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got, err := idKey(ctx, []byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func (d *Desk) argon() argonParams {
	if d.opts.CheapPasswordHashing {
		return argonCheap
	}
	return argonProduction
}

// hashSlots bounds how many argon2id computations run at once. Each takes
// the parameters' memory (64 MiB in production), so a burst of sign-ins
// would otherwise grow the server by that much per request; queued ones wait
// for a core instead, which costs them nothing they would not pay anyway,
var hashSlots = make(chan struct{}, runtime.GOMAXPROCS(0))

// for a core instead, and give up when the request is cancelled (a client
// that hung up costs no hash).
func idKey(ctx context.Context, password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-hashSlots }()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	hashes.Add(1)
	return argon2.IDKey(password, salt, time, memory, threads, keyLen), nil
}

// hashes counts the argon2id computations of the process.
var hashes atomic.Int64

// PasswordHashes is how many password hashes the process has computed (a
// request that cannot succeed must not cost one).
func PasswordHashes() int64 { return hashes.Load() }

func (d *Desk) hashPassword(ctx context.Context, password string) (string, error) {
	return hashPassword(ctx, password, d.argon())
}
