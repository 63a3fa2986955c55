package main

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// kind is a kind of request the generator sends.
type kind int

const (
	kindLogin kind = iota
	kindRefresh
	kindGrades
	kindWeek
	kinds
)

var kindNames = [kinds]string{"login", "refresh", "grades", "week"}

func (k kind) String() string { return kindNames[k] }

// defaultMix is a school day seen from the apps: mostly reading grades and
// timetables, a refresh an hour per device, a fresh login now and then.
const defaultMix = "login=1,refresh=2,grades=10,week=10"

// mix holds a weight per kind.
type mix [kinds]int

func parseMix(s string) (mix, error) {
	var m mix
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return m, fmt.Errorf("%q: want name=weight", part)
		}
		k := -1
		for i, n := range kindNames {
			if n == name {
				k = i
			}
		}
		if k < 0 {
			return m, fmt.Errorf("%q: unknown kind (login, refresh, grades, week)", name)
		}
		w, err := strconv.Atoi(val)
		if err != nil || w < 0 || w > 1000 {
			return m, fmt.Errorf("%q: want a weight from 0 to 1000", part)
		}
		m[k] = w
	}
	if m.total() == 0 {
		return m, fmt.Errorf("%q: every weight is zero", s)
	}
	return m, nil
}

func (m mix) total() int {
	n := 0
	for _, w := range m {
		n += w
	}
	return n
}

// pick draws a kind with probability proportional to its weight.
func (m mix) pick(r *rand.Rand) kind {
	n := r.IntN(m.total())
	for k, w := range m {
		if n < w {
			return kind(k)
		}
		n -= w
	}
	return kindLogin // not reached: n < total
}

func (m mix) String() string {
	parts := make([]string, 0, len(m))
	for k, w := range m {
		parts = append(parts, fmt.Sprintf("%s=%d", kindNames[k], w))
	}
	return strings.Join(parts, ",")
}
