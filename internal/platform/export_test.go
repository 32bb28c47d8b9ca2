package platform

import "context"

// LoginLimiterKeys is how many counts the sign-in limiter keeps.
func LoginLimiterKeys(d *Desk) int { return d.limiter.keys() }

// StorageProblemForTest answers a failed attachment write as the desk does.
func StorageProblemForTest(d *Desk, err error) error {
	return d.storageProblem(context.Background(), Actor{}, err)
}
