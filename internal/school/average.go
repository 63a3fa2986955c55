package school

// Average is the weighted average of grades as decisions.md defines it:
// computed on exact values (tenths, integer arithmetic), weighted by
// Weight, leaving out grades that do not count, have weight zero, were not
// made, carry no number or are re-sit attempts (their effect is in the
// first attempt's Current), and rounded half up to one decimal. ok is false
// when no grade counts.
func Average(grades []Grade) (tenths int, ok bool) {
	var sum, weights int64
	for _, g := range grades {
		if !Counts(g) {
			continue
		}
		sum += int64(g.Current) * int64(g.Weight)
		weights += int64(g.Weight)
	}
	if weights == 0 {
		return 0, false
	}
	// sum/weights tenths, rounded half up: floor((2*sum + weights) / (2*weights)).
	// Grades are never negative, so integer division is floor here.
	return int((2*sum + weights) / (2 * weights)), true
}

// Counts reports whether g takes part in an average. A re-sit attempt does
// not count by itself: its effect is in the first attempt's Current value.
func Counts(g Grade) bool {
	return g.HasValue && !g.NotCounting && !g.NotMade && !g.Exempt &&
		g.Weight > 0 && g.ResitNumber == 0
}

// FormatTenths writes tenths with a dot, as classic endpoints do: 78 -> "7.8".
func FormatTenths(t int) string {
	return string(AppendTenths(nil, t, '.'))
}

// AppendTenths appends tenths with the given decimal separator.
func AppendTenths(b []byte, t int, sep byte) []byte {
	if t < 0 {
		b = append(b, '-')
		t = -t
	}
	b = appendInt(b, t/10)
	return append(b, sep, byte('0'+t%10))
}

func appendInt(b []byte, v int) []byte {
	if v >= 10 {
		b = appendInt(b, v/10)
	}
	return append(b, byte('0'+v%10))
}
