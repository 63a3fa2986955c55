package rest

import (
	"errors"
	"strconv"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

func isErr(err, target error) bool { return errors.Is(err, target) }

// parseID reads an id from a path or a query. Anything that is not a
// positive number cannot name an entity the caller may read, so it gets
// the same 403 as any other id the caller may not read.
func parseID(s string) (school.ID, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 {
		return 0, errForbidden
	}
	return school.ID(n), nil
}

// additionalNames lists the requested additional names, accepting both a
// repeated parameter and a comma-separated list, without duplicates.
func additionalNames(vals []string) map[string]bool {
	out := map[string]bool{}
	for _, v := range vals {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out[name] = true
			}
		}
	}
	return out
}

// sortParam reads sort=asc-<field> / desc-<field>. timeField is the
// field that means "by time" for this list.
func sortParam(v, timeField string) (school.Sort, error) {
	switch v {
	case "":
		return school.SortDefault, nil
	case "asc-id":
		return school.SortIDAsc, nil
	case "desc-id":
		return school.SortIDDesc, nil
	case "asc-" + timeField:
		return school.SortTimeAsc, nil
	case "desc-" + timeField:
		return school.SortTimeDesc, nil
	}
	return 0, badRequest("sort %q is not supported; use asc-id, desc-id, asc-%s or desc-%s",
		v, timeField, timeField)
}
