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
			items = append(items, h.restricties(p))
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
	case school.RoleStaff:
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

// restrictieFlags are the switches of restricties.REloRestricties.
// TODO: schools have no stored switches yet, so every pupil gets the same
// open set; a school cannot yet hide grades or homework (issue 4 stores
// and enforces them).
type restrictieFlags struct {
	MobieleAppAan                      bool `json:"mobieleAppAan"`
	StudiewijzerAan                    bool `json:"studiewijzerAan"`
	BerichtenVerzendenAan              bool `json:"berichtenVerzendenAan"`
	LeermiddelenAan                    bool `json:"leermiddelenAan"`
	AdviezenTokenAan                   bool `json:"adviezenTokenAan"`
	OpmerkingRapportCijferTonenAan     bool `json:"opmerkingRapportCijferTonenAan"`
	PeriodeGemiddeldeTonenResultaatAan bool `json:"periodeGemiddeldeTonenResultaatAan"`
	RapportGemiddeldeTonenResultaatAan bool `json:"rapportGemiddeldeTonenResultaatAan"`
	RapportCijferTonenResultaatAan     bool `json:"rapportCijferTonenResultaatAan"`
	ToetssoortgemiddeldenAan           bool `json:"toetssoortgemiddeldenAan"`
	SeResultaatAan                     bool `json:"seResultaatAan"`
	StamgroepLeerjaarAan               bool `json:"stamgroepLeerjaarAan"`
	EmailWijzigenAan                   bool `json:"emailWijzigenAan"`
	MobielWijzigenAan                  bool `json:"mobielWijzigenAan"`
	WachtwoordWijzigenAan              bool `json:"wachtwoordWijzigenAan"`
	AbsentiesBekijkenAan               bool `json:"absentiesBekijkenAan"`
	AbsentieConstateringBekijkenAan    bool `json:"absentieConstateringBekijkenAan"`
	AbsentieMaatregelBekijkenAan       bool `json:"absentieMaatregelBekijkenAan"`
	AbsentieMeldingBekijkenAan         bool `json:"absentieMeldingBekijkenAan"`
	BerichtenBekijkenAan               bool `json:"berichtenBekijkenAan"`
	CijfersBekijkenAan                 bool `json:"cijfersBekijkenAan"`
	HuiswerkBekijkenAan                bool `json:"huiswerkBekijkenAan"`
	NieuwsBekijkenAan                  bool `json:"nieuwsBekijkenAan"`
	PasfotoLeerlingTonenAan            bool `json:"pasfotoLeerlingTonenAan"`
	PasfotoMedewerkerTonenAan          bool `json:"pasfotoMedewerkerTonenAan"`
	ProfielBekijkenAan                 bool `json:"profielBekijkenAan"`
	RoosterBekijkenAan                 bool `json:"roosterBekijkenAan"`
	RoosterBeschikbaarIcalAan          bool `json:"roosterBeschikbaarIcalAan"`
	VakkenBekijkenAan                  bool `json:"vakkenBekijkenAan"`
	LesurenVerbergenSettingAan         bool `json:"lesurenVerbergenSettingAan"`
}

var openFlags = restrictieFlags{
	MobieleAppAan: true, StudiewijzerAan: true, BerichtenVerzendenAan: true,
	LeermiddelenAan: true, OpmerkingRapportCijferTonenAan: true,
	PeriodeGemiddeldeTonenResultaatAan: true, RapportGemiddeldeTonenResultaatAan: true,
	RapportCijferTonenResultaatAan: true, ToetssoortgemiddeldenAan: true, SeResultaatAan: true,
	StamgroepLeerjaarAan: true, EmailWijzigenAan: true, MobielWijzigenAan: true,
	WachtwoordWijzigenAan: true, AbsentiesBekijkenAan: true,
	AbsentieConstateringBekijkenAan: true, AbsentieMaatregelBekijkenAan: true,
	AbsentieMeldingBekijkenAan: true, BerichtenBekijkenAan: true, CijfersBekijkenAan: true,
	HuiswerkBekijkenAan: true, NieuwsBekijkenAan: true, PasfotoLeerlingTonenAan: true,
	PasfotoMedewerkerTonenAan: true, ProfielBekijkenAan: true, RoosterBekijkenAan: true,
	RoosterBeschikbaarIcalAan: true, VakkenBekijkenAan: true,
}

func (h *Handler) restricties(p school.Pupil) restricties {
	return restricties{
		envelope:        envelope{Type: typeRestricties, Links: []link{}, Permissions: []access.Permission{}},
		VestigingsID:    int64(p.BranchID),
		LeerlingID:      int64(p.ID),
		restrictieFlags: openFlags,
	}
}
