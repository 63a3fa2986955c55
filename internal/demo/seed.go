package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// Seeded worlds are what `opensom seed` writes: any number of invented
// schools of any size, each with years of history, made from the demo's
// lists and rules. They are never built whole in memory: Seed hands them
// out school by school and class by class, for a school.WorldWriter, so
// that memory stays flat however big the world grows.

// SeedOptions say which world Seed makes.
type SeedOptions struct {
	Seed int64     // same seed, same other options and same Now date: the very same world
	Now  time.Time // the current school year is the one around it; only its date counts
	// Schools is the number of schools, 1 to MaxSeedSchools.
	Schools int
	// Pupils is the number of pupils of each school, 1 to MaxSeedPupils.
	Pupils int
	// Years is the number of school years with lessons and grades, the
	// current one included, 1 to MaxSeedYears: 2 adds last year.
	Years int
}

// Limits of SeedOptions: the school names run out past MaxSeedSchools, the
// pupils' names get crowded past MaxSeedPupils, and no pupil has a history
// of more than MaxSeedYears (the six years of vwo).
const (
	MaxSeedSchools = 300
	MaxSeedPupils  = 5000
	MaxSeedYears   = 6
)

// Validate names every option out of range, by its flag's name.
func (o SeedOptions) Validate() error {
	var errs []error
	if o.Now.IsZero() {
		errs = append(errs, errors.New("now: a current time is needed"))
	}
	for _, c := range []struct {
		name     string
		v, limit int
	}{
		{"schools", o.Schools, MaxSeedSchools},
		{"pupils", o.Pupils, MaxSeedPupils},
		{"years", o.Years, MaxSeedYears},
	} {
		if c.v < 1 || c.v > c.limit {
			errs = append(errs, fmt.Errorf("%s: want 1 to %d, got %d", c.name, c.limit, c.v))
		}
	}
	return errors.Join(errs...)
}

// Part is a piece of a seeded world. Parts come in the order they must be
// written: a part's rows refer only to rows of its own and earlier parts.
type Part struct {
	World *school.World
	// School is the index of the school the part belongs to, from 0.
	School int
	// Last marks a school's last part: once it is written, the school is
	// whole, which makes it a good moment to commit.
	Last bool
	// Pupils is the school's number of pupils, on its last part only.
	Pupils int
}

// Parts is the number of parts Seed hands out for o: one per school and
// one per class and school year.
func (o SeedOptions) Parts() int {
	n := 0
	for _, c := range layout(o.Pupils) {
		n += min(c.slot.level, o.Years)
	}
	return o.Schools * (1 + n)
}

// Seed makes the world o describes and hands it to emit one part at a
// time, school after school. It stops at emit's first error, or when ctx
// is done.
func Seed(ctx context.Context, o SeedOptions, emit func(Part) error) error {
	if err := o.Validate(); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	w := &seedWorld{opts: o, today: school.DateOf(o.Now), hashes: passwordHashes{}}
	w.stems = rand.New(rand.NewPCG(uint64(o.Seed), uint64(purposeSchools))).
		Perm(len(schoolHeads) * len(schoolTails))
	for i := range o.Schools {
		if err := ctx.Err(); err != nil {
			return err
		}
		s := newSeedSchool(w, i)
		if err := s.generate(ctx, emit); err != nil {
			return fmt.Errorf("seed school %d (%s): %w", i+1, s.school.Name, err)
		}
	}
	return nil
}

// Streams of seeded worlds, after the demo's own.
const (
	purposeSchools purpose = iota + purposeAdmin + 1
	purposeFamilies
	purposeLessons
	purposeHomework
	purposeAbsences
	purposeMessages
)

// seedWorld is what the schools of one seeded world share.
type seedWorld struct {
	opts  SeedOptions
	today time.Time // local midnight of opts.Now: nothing later is entered
	// stems[i] picks school i's name stem, so that no two schools share
	// one.
	stems  []int
	hashes passwordHashes
}

// Seeded ids are kind * seedKindBase + school * seedSchoolGap + n, with the
// demo's kinds: room for a billion rows of a kind in each of 9,999
// schools, fourteen digits or more, and below 2^53, so that a JavaScript
// client reads them exactly.
const (
	seedKindBase  = 10_000_000_000_000
	seedSchoolGap = 1_000_000_000
)

// mix is the splitmix64 finaliser: it spreads the bits of a stream key.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// stream is the random stream of one purpose for one thing of the world:
// a school, a class in a year, a pupil in a year. Every thing draws from
// its own, so that drawing one differently leaves the others as they
// were.
func (w *seedWorld) stream(p purpose, keys ...uint64) *rand.Rand {
	h := mix(uint64(p))
	for _, k := range keys {
		h = mix(h ^ k)
	}
	return rand.New(rand.NewPCG(uint64(w.opts.Seed), h))
}

// passwordHashes hashes each distinct demo password once. The salt comes
// from the password itself, so every account with the same password has
// the same hash: no secret is lost, as demo passwords are printed anyway,
// and a big world saves most of its hashing (there are 113,400 passwords).
type passwordHashes map[string]string

func (h passwordHashes) hash(seed int64, pw string) (string, error) {
	if s, ok := h[pw]; ok {
		return s, nil
	}
	var key uint64
	for _, c := range []byte(pw) {
		key = mix(key ^ uint64(c))
	}
	salt := rngReader{rand.New(rand.NewPCG(uint64(seed)^uint64(purposePasswords), key))}
	s, err := passwd.HashWithSalt(pw, passwd.Demo, salt)
	if err != nil {
		return "", err
	}
	h[pw] = s
	return s, nil
}

// classPlan is the n-th class of a seeded school: its year and track now,
// its letter and its size.
type classPlan struct {
	slot    classSlot
	section int // 0 for -a
	size    int
}

// classSize is the usual size of a class.
const classSize = 27

// layout divides a school's pupils over classes of about classSize,
// opening them in the order of classSlots.
func layout(pupils int) []classPlan {
	n := max(1, (pupils+classSize/2)/classSize)
	out := make([]classPlan, n)
	for k := range out {
		out[k] = classPlan{slot: classSlots[k%len(classSlots)], section: k / len(classSlots),
			size: pupils / n}
		if k < pupils%n {
			out[k].size++
		}
	}
	return out
}
