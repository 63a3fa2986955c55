package auth

// Metrics receives the counts another package turns into metrics. Label
// values stay bounded: grantType is one of the supported grant types or
// "unknown", outcome is "ok" or an OAuth2 error code, where is
// "password_grant" or "login_page".
type Metrics interface {
	// Grant is called once per token-endpoint answer.
	Grant(grantType, outcome string)
	// LoginFailed is called for every failed credential check.
	LoginFailed(where string)
}

// Where a credential check failed, for Metrics.LoginFailed.
const (
	failPasswordGrant = "password_grant"
	failLoginPage     = "login_page"
)

// noMetrics is the Metrics of a Server built without one.
type noMetrics struct{}

func (noMetrics) Grant(string, string) {}
func (noMetrics) LoginFailed(string)   {}

// grantLabel keeps the grant_type label bounded: anything a client sends
// that is not a grant of ours is "unknown".
func (s *Server) grantLabel(grantType string) string {
	if _, ok := s.grants[grantType]; ok {
		return grantType
	}
	return "unknown"
}
