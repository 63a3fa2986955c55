package auth

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// The person claims of spec 2.7 that the id token and userinfo carry.
const (
	claimGivenName   = "given_name"
	claimOrgName     = "orgname"
	claimAffiliation = "affiliation"
	claimLeerlingen  = "leerlingen"
)

var personClaimNames = []string{claimGivenName, claimOrgName, claimAffiliation,
	claimLeerlingen}

// claimNames reads the kept form of the claims asked for: space-separated
// names, where "" means all of them (no claims parameter was given).
func claimNames(kept string) []string {
	if kept == "" {
		return personClaimNames
	}
	return strings.Fields(kept)
}

var errBadClaims = errors.New("the claims parameter is not a JSON object of id_token " +
	"and userinfo requests")

// parseClaimsParam reads the OIDC claims parameter (OIDC Core 5.5) and
// keeps the names of ours that it asks for in id_token or userinfo. A
// request naming none of ours gets the default set: the parameter asks
// for claims in addition to the usual ones, never for fewer than sub.
func parseClaimsParam(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", nil
	}
	var req map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &req); err != nil {
		return "", errBadClaims
	}
	var names []string
	for _, member := range []string{"id_token", "userinfo"} {
		for name := range req[member] {
			if slices.Contains(personClaimNames, name) && !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	// Kept in the fixed order, so that equal requests keep equal strings.
	var ordered []string
	for _, n := range personClaimNames {
		if slices.Contains(names, n) {
			ordered = append(ordered, n)
		}
	}
	return strings.Join(ordered, " "), nil
}

// personClaims are the values of the person claims of an account.
func personClaims(sc school.School, id identity) map[string]string {
	return map[string]string{
		claimGivenName:   id.givenName,
		claimOrgName:     sc.Name,
		claimAffiliation: id.affiliation,
		claimLeerlingen:  id.pupilsJSON,
	}
}
