package rest

import (
	"strconv"
	"strings"
)

// maxPage is the most items one answer holds.
const maxPage = 100

// window is the zero-based, inclusive item range a request asks for.
type window struct{ first, last int }

// parseRange reads "items=a-b" as decisions.md says: zero-based and
// inclusive, cut to 100 items; a missing header, or one that cannot be
// read (items=abc, bytes=0-9, items=9-0, items=-5), is the first page.
func parseRange(h string) window {
	def := window{0, maxPage - 1}
	unit, spec, ok := strings.Cut(strings.TrimSpace(h), "=")
	if !ok || !strings.EqualFold(strings.TrimSpace(unit), "items") {
		return def
	}
	a, b, ok := strings.Cut(strings.TrimSpace(spec), "-")
	if !ok {
		return def
	}
	first, ok1 := digits(a)
	last, ok2 := digits(b)
	if !ok1 || !ok2 || last < first {
		return def
	}
	if last-first >= maxPage {
		last = first + maxPage - 1
	}
	return window{first, last}
}

// digits parses a non-negative decimal of at most 9 digits.
func digits(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// contentRange describes what a body really holds: "items first-last/total",
// or "items */total" when it holds nothing.
func contentRange(first, count, total int) string {
	if count == 0 {
		return "items */" + strconv.Itoa(total)
	}
	return "items " + strconv.Itoa(first) + "-" + strconv.Itoa(first+count-1) + "/" +
		strconv.Itoa(total)
}
