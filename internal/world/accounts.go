package world

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opensom/opensom/internal/auth/passwd"
	"github.com/opensom/opensom/internal/school"
)

// accountList makes the accounts: pupils' and staff members' that give a
// password, and every parent's, in that order.
func (s *schoolBuilder) accountList() {
	s.accounts = map[string]school.Account{}
	for _, pi := range s.pupils {
		dflt := strconv.FormatInt(pi.p.Number, 10)
		s.account(pi.path, pi.login, dflt,
			school.Account{Role: school.RolePupil, PersonID: pi.p.ID}, false)
	}
	for _, se := range s.staffOrder {
		role := school.RoleStaff
		switch se.doc.Role {
		case "", string(school.RoleStaff):
		case string(school.RoleAdmin):
			role = school.RoleAdmin
		default:
			s.errf(se.path+".role", "want medewerker or beheerder, got %q", se.doc.Role)
		}
		s.account(se.path, se.doc.Login, username(se.doc.Name),
			school.Account{Role: role, PersonID: se.id}, false)
	}
	for i, pd := range s.doc.Parents {
		p := fmt.Sprintf("%s.parents[%d]", s.path, i)
		if pd.Name.First == "" && pd.Name.Last == "" {
			s.errf(p+".name", "required")
		}
		acc := school.Account{Role: school.RoleParent, Name: pd.Name.name()}
		if len(pd.Children) == 0 {
			s.errf(p+".children", "want at least one child (a pupil's number or name)")
		}
		for k, c := range pd.Children {
			cp := p + ".children"
			if len(pd.Children) > 1 {
				cp = fmt.Sprintf("%s[%d]", cp, k)
			}
			if pi, ok := s.pupilRef(cp, c); ok {
				acc.PupilIDs = append(acc.PupilIDs, pi.p.ID)
			}
		}
		s.account(p, pd.Login, username(pd.Name), acc, true)
	}
}

// username is firstname.lastname with the prefix, as the demo makes them:
// "jan.vandermeer".
func username(n nameDoc) string {
	last := strings.ReplaceAll(n.Prefix+n.Last, " ", "")
	if n.First == "" {
		return strings.ToLower(last)
	}
	return strings.ToLower(n.First + "." + last)
}

// account adds the account of a person that has a login. needed says the
// person exists only as an account (a parent), so a missing password is a
// problem rather than no account.
func (s *schoolBuilder) account(p string, l login, dflt string, acc school.Account,
	needed bool) {
	switch {
	case l.Password == "" && l.PasswordHash == "":
		if needed {
			s.errf(p+".password", "required: a parent is an account (or give passwordHash)")
		} else if l.Username != "" || l.AccountID != 0 || l.AccountUUID != "" {
			s.errf(p+".password", "required with username, accountId or accountUuid "+
				"(or give passwordHash)")
		}
		return
	case l.Password != "" && l.PasswordHash != "":
		s.errf(p+".passwordHash", "give password or passwordHash, not both")
		return
	}
	acc.Username = l.Username
	if acc.Username == "" {
		acc.Username = dflt
	}
	if strings.ContainsAny(acc.Username, " \t\\") || acc.Username == "" {
		s.errf(p+".username", "want a username without spaces or backslashes, got %q",
			acc.Username)
		return
	}
	if _, taken := s.accounts[acc.Username]; taken {
		field := p + ".username"
		if l.Username == "" {
			field = p
		}
		s.errf(field, "username %q is taken by another account of this school", acc.Username)
		return
	}
	acc.SchoolID = s.s.ID
	acc.ID, acc.UUID = s.b.entity(kindAccount, p, l.AccountID, l.AccountUUID, "accountUuid",
		s.key, acc.Username)
	if l.Password != "" {
		salt := &saltReader{b: derivedSecret("salt", s.key, acc.Username)}
		hash, err := passwd.HashWithSalt(l.Password, passwd.Demo, salt)
		if err != nil {
			s.errf(p+".password", "hash: %v", err)
			return
		}
		acc.PasswordHash, acc.DemoPassword = hash, l.Password
	} else {
		if parts := strings.Split(l.PasswordHash, "$"); len(parts) != 6 || parts[1] != "argon2id" {
			s.errf(p+".passwordHash", "want an argon2id hash ($argon2id$v=19$m=...$salt$hash)")
			return
		}
		acc.PasswordHash = l.PasswordHash
	}
	s.accounts[acc.Username] = acc
	s.accOrder = append(s.accOrder, acc.Username)
}

// accountRef finds an account by username.
func (s *schoolBuilder) accountRef(path, username string) (school.Account, bool) {
	a, ok := s.accounts[username]
	if !ok {
		s.errf(path, "no account %q", username)
	}
	return a, ok
}
