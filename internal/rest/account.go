package rest

import (
	"fmt"
	"net/http"

	"github.com/opensom/opensom/internal/access"
	"github.com/opensom/opensom/internal/school"
)

// accounts lists the caller's own account: the real service answers a list
// with one item here.
func (h *Handler) accounts(w http.ResponseWriter, c *call) error {
	a, err := h.account(c)
	if err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, contentRange(0, 1, 1), list[account]{Items: []account{a}})
	return nil
}

// accountMe answers the caller's own account, bare.
func (h *Handler) accountMe(w http.ResponseWriter, c *call) error {
	a, err := h.account(c)
	if err != nil {
		return err
	}
	h.write(w, c.format, http.StatusOK, "", a)
	return nil
}

// accountByID answers an account by id; only the caller's own is readable.
func (h *Handler) accountByID(w http.ResponseWriter, c *call) error {
	id, err := parseID(c.params[0])
	if err != nil {
		return err
	}
	if id != c.v.Account.ID {
		return errForbidden
	}
	return h.accountMe(w, c)
}

func (h *Handler) account(c *call) (account, error) {
	acc := c.v.Account
	a := account{
		envelope: envelope{
			Type:        typeAccount,
			Links:       selfLink(h.base, "account", typeAccount, acc.ID),
			Permissions: c.v.Permissions(typeAccount, acc.ID),
		},
		Gebruikersnaam:     acc.Username,
		AccountPermissions: []any{},
	}
	persoon, pupil, err := h.persoon(c)
	if err != nil {
		return account{}, err
	}
	a.Persoon = persoon
	extra := additionalNames(c.query["additional"])
	if extra["restricties"] {
		var items []restricties
		for _, p := range pupil {
			items = append(items, h.restricties(c.v.Switches(), p))
		}
		a.Additional = append(a.Additional, kv{"restricties", wrap(items)})
	}
	return a, nil
}

// persoon is the person behind the account as a primer, and the pupils
// whose restrictions apply to it.
func (h *Handler) persoon(c *call) (any, []school.Pupil, error) {
	acc := c.v.Account
	ctx := c.ctx()
	switch acc.Role {
	case school.RolePupil:
		p, err := h.store.Pupil(ctx, c.v.SchoolID, acc.PersonID)
		if err != nil {
			return nil, nil, fmt.Errorf("load pupil of account: %w", err)
		}
		pr := h.leerlingPrimer(c.v, p)
		pr.Type = typeLeerlingPrimer
		return pr, []school.Pupil{p}, nil
	case school.RoleStaff, school.RoleAdmin:
		staff, err := h.store.StaffMembers(ctx, c.v.SchoolID, []school.ID{acc.PersonID})
		if err != nil {
			return nil, nil, fmt.Errorf("load staff of account: %w", err)
		}
		if len(staff) == 0 {
			return nil, nil, fmt.Errorf("load staff of account: %w", school.ErrNotFound)
		}
		return h.medewerkerPrimer(c.v, staff[0]), nil, nil
	default:
		pupils, err := h.store.Pupils(ctx, c.v.SchoolID, c.v.Pupils())
		if err != nil {
			return nil, nil, fmt.Errorf("load children of account: %w", err)
		}
		return verzorgerPrimer{
			envelope: envelope{Type: typeVerzorger,
				Links:       selfLink(h.base, "verzorgers", typeVerzorger, acc.ID),
				Permissions: c.v.Permissions(typeVerzorger, acc.ID)},
			UUID: acc.UUID, Roepnaam: acc.Name.First, Voorvoegsel: acc.Name.Prefix,
			Achternaam: acc.Name.Last,
		}, pupils, nil
	}
}

func (h *Handler) restricties(sw school.Switches, p school.Pupil) restricties {
	flags := make([]switchFlag, len(school.SwitchNames))
	for i, n := range school.SwitchNames {
		flags[i] = switchFlag{n.Name, sw.On(n.Name)}
	}
	return restricties{
		envelope: envelope{Type: typeRestricties, Links: []link{},
			Permissions: []access.Permission{}},
		VestigingsID: int64(p.BranchID),
		LeerlingID:   int64(p.ID),
		flags:        flags,
	}
}
