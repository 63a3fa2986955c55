package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// accounts gives every pupil a pupil account. The first school also gets
// the family's parent account and a mentor's staff account; the star
// pupil's, the parent's and the staff account come first, so that a demo
// user finds them at the top of `opensom accounts`.
func (g *schoolGen) accounts() error {
	r := g.rng(purposePasswords)
	a := accountMaker{g: g, r: r, taken: map[string]bool{}}
	pupils := g.w.Pupils[len(g.w.Pupils)-g.pupilCount():]
	if g.index == 0 {
		star, sibling := g.classes[0].pupils[0], g.classes[1].pupils[0]
		mentor := g.teachers[subjectIndex(g.classes[0].spec.subjects[0].abbrev)].staff
		a.pupil(star)
		a.add(school.Account{
			Role: school.RoleParent, Username: a.username(g.parent), Name: g.parent,
			PupilIDs: []school.ID{star.ID, sibling.ID},
		})
		a.add(school.Account{
			Role: school.RoleStaff, Username: a.username(mentor.Name), PersonID: mentor.ID,
		})
		pupils = pupils[1:]
	}
	for _, p := range pupils {
		a.pupil(p)
	}
	if a.err != nil {
		return fmt.Errorf("accounts: %w", a.err)
	}
	g.w.Accounts = append(g.w.Accounts, a.out...)
	return nil
}

func (g *schoolGen) pupilCount() int {
	n := 0
	for _, c := range g.classes {
		n += len(c.pupils)
	}
	return n
}

// accountMaker adds accounts with readable demo passwords. Password and
// salt come from the same seeded stream, so the hashes are stable too.
type accountMaker struct {
	g     *schoolGen
	r     *rand.Rand
	taken map[string]bool
	out   []school.Account
	err   error
}

func (a *accountMaker) pupil(p school.Pupil) {
	a.add(school.Account{
		Role: school.RolePupil, Username: strconv.FormatInt(p.Number, 10), PersonID: p.ID,
	})
}

func (a *accountMaker) add(acc school.Account) {
	if a.err != nil {
		return
	}
	acc.ID = a.g.id(kindAccount)
	acc.SchoolID = a.g.school.ID
	acc.UUID = a.g.uuid(acc.ID)
	acc.DemoPassword = a.password()
	hash, err := passwd.HashWithSalt(acc.DemoPassword, passwd.Demo, rngReader{a.r})
	if err != nil {
		a.err = fmt.Errorf("hash password of %s: %w", acc.Username, err)
		return
	}
	acc.PasswordHash = hash
	a.taken[acc.Username] = true
	a.out = append(a.out, acc)
}

func (a *accountMaker) password() string { return password(a.r) }

func (a *accountMaker) username(n school.Name) string { return username(n, a.taken) }

// password is two words and a number, e.g. "appel-kaars-47".
func password(r *rand.Rand) string {
	w1 := passwordWords[r.IntN(len(passwordWords))]
	w2 := w1
	for w2 == w1 {
		w2 = passwordWords[r.IntN(len(passwordWords))]
	}
	return fmt.Sprintf("%s-%s-%d", w1, w2, 10+r.IntN(90))
}

// username is firstname.lastname, prefix included ("jan.vandermeer"),
// with a number after it when the name is taken.
func username(n school.Name, taken map[string]bool) string {
	base := strings.ToLower(n.First + "." + strings.ReplaceAll(n.Prefix+n.Last, " ", ""))
	u := base
	for i := 2; taken[u]; i++ {
		u = base + strconv.Itoa(i)
	}
	return u
}

// rngReader reads bytes from a seeded generator, for password salts.
type rngReader struct{ r *rand.Rand }

func (rr rngReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(rr.r.Uint32())
	}
	return len(p), nil
}
