package demo

import "github.com/opensom/opensom/internal/school"

// The fixed parts of the demo world. Everything here is invented: the
// schools do not exist, and people are random combinations of common
// Dutch first and last names. Names stay ASCII so that usernames made
// from them need no folding.

// subjectSpec is a vak as the demo schools teach it.
type subjectSpec struct {
	abbrev, name string
	// labels marks a subject graded with labels (V, G, O) instead of
	// numbers.
	labels bool
	room   roomKind
}

type roomKind int

const (
	roomClass roomKind = iota
	roomLab
	roomGym
)

var subjectSpecs = []subjectSpec{
	{"netl", "Nederlandse taal en literatuur", false, roomClass},
	{"entl", "Engelse taal en literatuur", false, roomClass},
	{"fatl", "Franse taal en literatuur", false, roomClass},
	{"dutl", "Duitse taal en literatuur", false, roomClass},
	{"wi", "wiskunde", false, roomClass},
	{"wisA", "wiskunde A", false, roomClass},
	{"wisB", "wiskunde B", false, roomClass},
	{"nat", "natuurkunde", false, roomLab},
	{"schk", "scheikunde", false, roomLab},
	{"biol", "biologie", false, roomLab},
	{"ak", "aardrijkskunde", false, roomClass},
	{"gs", "geschiedenis", false, roomClass},
	{"econ", "economie", false, roomClass},
	{"maat", "maatschappijleer", false, roomClass},
	{"ckv", "culturele en kunstzinnige vorming", true, roomClass},
	{"lo", "lichamelijke opvoeding", true, roomGym},
}

// subjectHours is one subject of a class with its lessons a week.
type subjectHours struct {
	abbrev string
	hours  int
}

// classSpec is a stamgroep of the current year. All its pupils follow all
// its subjects, each in one lesson group.
type classSpec struct {
	name     string // "4havo-a"
	short    string // "4h", the start of its lesson groups' names
	level    int    // leerjaar in the current year
	section  int    // 1 for -a, 2 for -b: the end of lesson group names
	size     int
	subjects []subjectHours
}

// schoolSpec is one demo school.
type schoolSpec struct {
	name, city, tenant, abbrev string
	domain                     string // mail domain, always under .example
	oidc                       []school.OIDCURL
	classes                    []classSpec
}

// schoolSpecs are the two demo schools. The first holds the star pupil (the
// first pupil of its first class), the family and the staff account.
var schoolSpecs = []schoolSpec{
	{
		name: "Het Zilverberk College", city: "ZEIST", tenant: "zilverberk", abbrev: "ZBC",
		domain: "zilverberk.example",
		classes: []classSpec{
			{"4havo-a", "4h", 4, 1, 17, []subjectHours{
				{"netl", 3}, {"entl", 3}, {"dutl", 2}, {"fatl", 2}, {"wisA", 3},
				{"econ", 3}, {"gs", 3}, {"ak", 2}, {"biol", 2}, {"maat", 2},
				{"ckv", 1}, {"lo", 2},
			}},
			{"2vwo-b", "2v", 2, 2, 16, []subjectHours{
				{"netl", 3}, {"entl", 3}, {"fatl", 2}, {"dutl", 2}, {"wi", 4},
				{"nat", 2}, {"biol", 2}, {"gs", 2}, {"ak", 2}, {"econ", 1},
				{"ckv", 1}, {"lo", 3},
			}},
		},
	},
	{
		name: "Scholengemeenschap De Brede Wetering", city: "DEVENTER",
		tenant: "bredewetering", abbrev: "SGBW", domain: "bredewetering.example",
		oidc: []school.OIDCURL{{
			Description: "Brede Wetering Entree",
			URL:         "https://login.bredewetering.example/oidc/v2.0",
			DomainHint:  "bredewetering.example",
		}},
		classes: []classSpec{
			{"3havo-c", "3h", 3, 3, 16, []subjectHours{
				{"netl", 3}, {"entl", 3}, {"dutl", 2}, {"fatl", 2}, {"wi", 3},
				{"nat", 2}, {"schk", 2}, {"biol", 2}, {"ak", 2}, {"gs", 2},
				{"econ", 2}, {"lo", 2},
			}},
			{"5vwo-a", "5v", 5, 1, 16, []subjectHours{
				{"netl", 3}, {"entl", 3}, {"dutl", 2}, {"wisB", 4}, {"nat", 3},
				{"schk", 3}, {"biol", 3}, {"maat", 2}, {"gs", 2}, {"ckv", 1},
				{"lo", 2}, {"ak", 2},
			}},
		},
	},
}

// Given names of pupils, by gender.
var (
	boyNames = []string{
		"Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Bram", "Thijs", "Jesse",
		"Ruben", "Luuk", "Stijn", "Noah", "Sven", "Tim", "Max", "Julian", "Jasper",
		"Gijs", "Niels", "Koen", "Joris", "Wouter", "Tobias", "Mees", "Floris",
	}
	girlNames = []string{
		"Emma", "Julia", "Tess", "Sophie", "Anna", "Lotte", "Sara", "Fleur",
		"Noor", "Evi", "Lisa", "Eva", "Mila", "Isa", "Femke", "Roos", "Sanne",
		"Iris", "Lieke", "Floor", "Maud", "Nina", "Jasmijn", "Fenna", "Liv",
	}
	// Given names of adults: teachers and parents.
	manNames = []string{
		"Pieter", "Erik", "Marco", "Bart", "Frank", "Dennis", "Rob", "Martijn",
		"Gert", "Arjan", "Maarten", "Sander", "Jeroen", "Joost", "Ronald", "Wim",
	}
	womanNames = []string{
		"Marieke", "Esther", "Annelies", "Ingrid", "Petra", "Karin", "Monique",
		"Ellen", "Marloes", "Judith", "Linda", "Anouk", "Wendy", "Yvonne",
	}
)

// lastNames are common Dutch family names, prefix first.
var lastNames = []school.Name{
	{Last: "Jansen"}, {Prefix: "de", Last: "Jong"}, {Prefix: "de", Last: "Vries"},
	{Prefix: "van den", Last: "Berg"}, {Prefix: "van", Last: "Dijk"}, {Last: "Bakker"},
	{Last: "Visser"}, {Last: "Smit"}, {Last: "Meijer"}, {Prefix: "de", Last: "Boer"},
	{Last: "Mulder"}, {Prefix: "de", Last: "Groot"}, {Last: "Bos"}, {Last: "Vos"},
	{Last: "Peters"}, {Last: "Hendriks"}, {Prefix: "van", Last: "Leeuwen"},
	{Last: "Dekker"}, {Last: "Brouwer"}, {Prefix: "de", Last: "Wit"}, {Last: "Dijkstra"},
	{Last: "Smits"}, {Prefix: "de", Last: "Graaf"}, {Prefix: "van der", Last: "Meer"},
	{Prefix: "van der", Last: "Linden"}, {Last: "Kok"}, {Last: "Jacobs"},
	{Prefix: "de", Last: "Haan"}, {Last: "Vermeulen"}, {Prefix: "van den", Last: "Heuvel"},
	{Prefix: "van der", Last: "Veen"}, {Prefix: "van den", Last: "Broek"},
	{Prefix: "de", Last: "Bruijn"}, {Prefix: "van der", Last: "Heijden"}, {Last: "Schouten"},
	{Prefix: "van", Last: "Beek"}, {Last: "Willems"}, {Prefix: "van", Last: "Vliet"},
	{Prefix: "van de", Last: "Ven"}, {Last: "Hoekstra"}, {Last: "Maas"}, {Last: "Verhoeven"},
	{Last: "Koster"}, {Prefix: "van", Last: "Dam"}, {Prefix: "van der", Last: "Wal"},
	{Last: "Prins"}, {Last: "Blom"}, {Last: "Huisman"}, {Last: "Kuipers"}, {Last: "Postma"},
}

// passwordWords make readable demo passwords such as "appel-kaars-47".
var passwordWords = []string{
	"appel", "kaars", "fiets", "molen", "tulp", "klomp", "dijk", "gracht", "wolk",
	"boom", "regen", "zon", "maan", "ster", "vlinder", "kikker", "kaas", "brood",
	"sleutel", "lamp", "boot", "trein", "vogel", "bloem", "tafel", "stoel", "pen",
	"schrift", "bel", "haven", "duin", "polder", "sluis", "emmer", "jas", "wortel",
}

// spareRooms are rooms no teacher owns, where moved lessons go.
var spareRooms = []string{"C01", "C02", "C03", "C04", "Aula"}
