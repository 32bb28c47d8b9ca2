package platform

// LoginLimiterKeys is how many counts the sign-in limiter keeps.
func LoginLimiterKeys(d *Desk) int { return d.limiter.keys() }
