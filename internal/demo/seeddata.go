package demo

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/opensom/opensom/internal/school"
)

// The fixed parts of seeded worlds (`opensom seed`), on top of the demo
// world's lists in data.go, which they start from. Everything is invented,
// as there: no school of these names exists.

// Longer name lists: a school of thousands runs out of the demo's. Each
// starts with the demo's own list.
var (
	seedBoyNames = concat(boyNames, []string{
		"Sam", "Jayden", "Thomas", "Hugo", "Jelle", "Owen", "Siem", "Boaz", "Ties", "Olivier",
		"Adam", "Mats", "Dex", "Jens", "Vince", "Jurre", "Teun", "Guus", "Cas", "Hidde",
		"Pepijn", "Otis", "Melle", "Stan", "Rens", "Daniel", "Lars", "Timo", "Bas", "Ward",
		"Quinten", "Joep", "Roel", "Morris",
	})
	seedGirlNames = concat(girlNames, []string{
		"Zoe", "Sarah", "Yara", "Lauren", "Nova", "Olivia", "Elin", "Lina", "Hanna", "Sofie",
		"Loes", "Esmee", "Lynn", "Amber", "Merel", "Vera", "Ilse", "Britt", "Kim", "Demi",
		"Jade", "Romy", "Puck", "Eline", "Hailey", "Luna", "Maren", "Saar", "Bente", "Fay",
		"Nora", "Isabel", "Janna", "Linde", "Veerle",
	})
	seedManNames = concat(manNames, []string{
		"Hans", "Jan", "Kees", "Henk", "Paul", "Mark", "Michiel", "Stefan", "Richard", "Remco",
		"Edwin", "Johan", "Vincent", "Tom", "Niek", "Hendrik", "Willem", "Ruud", "Theo", "Gerard",
		"Patrick", "Koen", "Sjoerd", "Bram",
	})
	seedWomanNames = concat(womanNames, []string{
		"Anja", "Sandra", "Miriam", "Saskia", "Marjolein", "Hanneke", "Ilona", "Manon", "Carla",
		"Nicole", "Eveline", "Lisette", "Renate", "Suzanne", "Femke", "Astrid", "Jolanda",
		"Mariska", "Chantal", "Danielle", "Ingeborg", "Tineke", "Bianca", "Joke", "Willemijn",
		"Gerda",
	})
	seedLastNames = concat(lastNames, []school.Name{
		{Last: "Sanders"}, {Prefix: "van", Last: "Wijk"}, {Last: "Bosman"}, {Last: "Kramer"},
		{Prefix: "van der", Last: "Berg"}, {Last: "Wouters"}, {Last: "Gerritsen"},
		{Prefix: "de", Last: "Koning"}, {Last: "Hermans"}, {Last: "Evers"}, {Last: "Timmermans"},
		{Last: "Groen"}, {Last: "Koch"}, {Prefix: "van", Last: "Loon"}, {Last: "Scholten"},
		{Last: "Claassen"}, {Last: "Veenstra"}, {Last: "Bosch"}, {Prefix: "van der", Last: "Velde"},
		{Last: "Kuiper"}, {Last: "Martens"}, {Last: "Wolters"}, {Last: "Janssen"}, {Last: "Dekkers"},
		{Last: "Molenaar"}, {Prefix: "van", Last: "Os"}, {Last: "Boer"}, {Last: "Lammers"},
		{Prefix: "de", Last: "Lange"}, {Last: "Hofman"}, {Last: "Zwart"}, {Last: "Mol"},
		{Last: "Verbeek"}, {Prefix: "van der", Last: "Laan"}, {Last: "Stam"}, {Last: "Broekhuis"},
		{Prefix: "van", Last: "Rijn"}, {Last: "Schipper"}, {Last: "Geerts"}, {Last: "Hoekman"},
		{Prefix: "de", Last: "Ruiter"}, {Last: "Baas"}, {Last: "Jonker"}, {Last: "Vink"},
		{Prefix: "van", Last: "Doorn"}, {Last: "Postmus"}, {Last: "Wijnands"}, {Last: "Reijnders"},
		{Prefix: "van", Last: "Gils"}, {Last: "Brinkman"}, {Last: "Smeets"}, {Last: "Kooistra"},
		{Prefix: "ter", Last: "Horst"}, {Last: "Meulenbelt"}, {Last: "Bouwman"},
		{Prefix: "van", Last: "Kempen"}, {Last: "Dijkman"}, {Last: "Sluiter"}, {Last: "Otten"},
		{Prefix: "van 't", Last: "Hof"}, {Last: "Ketelaar"}, {Last: "Tromp"}, {Last: "Hoogland"},
		{Last: "Pronk"}, {Prefix: "van", Last: "Veen"}, {Last: "Drost"}, {Last: "Riemersma"},
		{Last: "Elzinga"}, {Last: "Schuurman"}, {Last: "Rutten"},
	})
)

func concat[T any](a, b []T) []T {
	return append(append(make([]T, 0, len(a)+len(b)), a...), b...)
}

// seedSubjectSpecs are the subjects of a seeded school: the demo's, then
// those only younger or gymnasium classes take.
var seedSubjectSpecs = concat(subjectSpecs, []subjectSpec{
	{"ltc", "Latijnse taal en cultuur", false, roomClass},
	{"mu", "muziek", true, roomClass},
	{"te", "tekenen", true, roomClass},
	{"inf", "informatica", false, roomClass},
})

// seedSubjectIndex is the position of abbrev in seedSubjectSpecs.
func seedSubjectIndex(abbrev string) int {
	for i, s := range seedSubjectSpecs {
		if s.abbrev == abbrev {
			return i
		}
	}
	panic("demo: unknown subject " + abbrev)
}

// track is an opleiding of a seeded school, with its years.
type track struct {
	name  string // in class names: "havo" in "4havo-a"
	short string // in lesson group names: "h" in "4h-wisA1"
	// profiles[level-1] are the subject sets of a year: upper years have
	// two, which classes of the year take in turn.
	profiles [][][]lessonLoad
}

// lessonLoad is a subject of a class with its half hours a week: an odd
// number alternates between A weeks (the hour more) and B weeks.
type lessonLoad struct {
	abbrev string
	halves int
}

// hours is the lessons of the subject in an A week (a = true) or a B week.
func (l lessonLoad) hours(a bool) int {
	if a {
		return (l.halves + 1) / 2
	}
	return l.halves / 2
}

// tracks are mavo (vmbo-t), havo and vwo, with the usual subjects and
// hours of each year; a half hour alternates between A and B weeks.
//
// TODO: a whole class takes one subject set: upper years alternate two
// profiles by class rather than letting each pupil choose subjects, so
// there are no lesson groups mixing pupils of several classes, as real
// upper years have.
var tracks = []*track{
	{name: "mavo", short: "m", profiles: loads([][]string{
		{"netl 4, entl 3, fatl 2, wi 4, biol 2, ak 2, gs 2, mu 2, te 2, lo 3"},
		{"netl 4, entl 3, fatl 2, dutl 2, wi 4, biol 2, nat 2, ak 2, gs 2, te 1.5, lo 3"},
		{"netl 4, entl 3, dutl 3, wi 4, biol 2, nat 2, econ 2, ak 2, gs 2, maat 1.5, lo 2.5"},
		{"netl 4, entl 4, dutl 3, wi 4, biol 3, econ 3, gs 3, maat 2, ckv 1.5, lo 2"},
	})},
	{name: "havo", short: "h", profiles: loads([][]string{
		{"netl 4, entl 3, fatl 3, wi 4, biol 2, ak 2, gs 2, mu 1.5, te 1.5, inf 1, lo 3"},
		{"netl 3, entl 3, fatl 2, dutl 2.5, wi 4, nat 2, biol 2, ak 2, gs 2, te 1.5, lo 3"},
		{"netl 3, entl 3, dutl 2, fatl 2, wi 3, nat 2, schk 2, biol 2, ak 2, gs 2, econ 2, lo 2"},
		{"netl 3, entl 3, wisB 4, nat 3, schk 3, biol 3, maat 2, ckv 1.5, lo 2",
			"netl 3, entl 3, dutl 2, fatl 2, wisA 3, econ 3, gs 3, ak 2, biol 2, maat 2, ckv 1, lo 2"},
		{"netl 3.5, entl 3, wisB 4, nat 3, schk 3, biol 3, inf 2, lo 1.5",
			"netl 3.5, entl 3, dutl 2.5, wisA 3, econ 3, gs 3, ak 2.5, lo 1.5"},
	})},
	{name: "vwo", short: "v", profiles: loads([][]string{
		{"netl 4, entl 3, fatl 3, ltc 2, wi 4, biol 2, ak 2, gs 2, mu 1.5, te 1.5, lo 3"},
		{"netl 3, entl 3, fatl 2, dutl 2, wi 4, nat 2, biol 2, gs 2, ak 2, econ 1, ckv 1, lo 3"},
		{"netl 3, entl 3, fatl 2, dutl 2, ltc 1.5, wi 4, nat 2, schk 2, biol 2, gs 2, ak 2, " +
			"econ 1.5, lo 2"},
		{"netl 3, entl 3, dutl 2, wisB 4, nat 3, schk 3, biol 3, maat 2, ckv 1, lo 2",
			"netl 3, entl 3, dutl 2, fatl 2, wisA 3, econ 3, gs 3, ak 2, maat 2, ckv 1, lo 2"},
		{"netl 3, entl 3, dutl 2, wisB 4, nat 3, schk 3, biol 3, gs 2, ckv 1, lo 2, ak 2",
			"netl 3, entl 3, dutl 2, fatl 2, wisA 3, econ 3, gs 3, ak 2.5, lo 2"},
		{"netl 3.5, entl 3, dutl 2.5, wisB 4, nat 3, schk 3, biol 3, inf 2, lo 1",
			"netl 3.5, entl 3, dutl 2.5, wisA 3, econ 3.5, gs 3, ak 3, lo 1"},
	})},
}

// loads reads the subject sets of a track's years, written as
// "netl 4, te 1.5": a subject's abbreviation and its hours a week.
func loads(years [][]string) [][][]lessonLoad {
	out := make([][][]lessonLoad, len(years))
	for y, sets := range years {
		for _, set := range sets {
			var ls []lessonLoad
			for item := range strings.SplitSeq(set, ",") {
				abbrev, hours, ok := strings.Cut(strings.TrimSpace(item), " ")
				h, err := strconv.ParseFloat(hours, 64)
				if !ok || err != nil || h <= 0 || h*2 != float64(int(h*2)) {
					panic(fmt.Sprintf("demo: bad lesson load %q", item))
				}
				seedSubjectIndex(abbrev) // panics on an unknown subject
				ls = append(ls, lessonLoad{abbrev, int(h * 2)})
			}
			out[y] = append(out[y], ls)
		}
	}
	return out
}

// classSlot is a year of a track: where a school's n-th class goes.
type classSlot struct {
	track *track
	level int
}

// classSlots are the years of every track in the order a seeded school
// opens classes: first years first, so that a small school has the
// youngest classes. A school of n classes has classSlots[k % len] for
// k < n, the k / len-th of its year.
var classSlots = func() []classSlot {
	var out []classSlot
	for level := 1; ; level++ {
		n := len(out)
		for _, t := range tracks {
			if level <= len(t.profiles) {
				out = append(out, classSlot{t, level})
			}
		}
		if len(out) == n {
			return out
		}
	}
}()

// Parts of invented school names: a head and a tail make a stem
// ("Goud" + "horst"), which a form makes a name ("Het Goudhorst College").
var (
	schoolHeads = []string{"Zilver", "Goud", "Hoog", "Breed", "Wit", "Rood", "Groen", "Zon",
		"Maan", "Ster", "Linde", "Eiken", "Beuken", "Wilgen", "Helder", "Stille", "Oude",
		"Nieuwe", "Blauwe", "Lange"}
	schoolTails = []string{"akker", "wetering", "horst", "duin", "veld", "hof", "weide",
		"beek", "burg", "kamp", "hoeve", "waard", "brink", "stede", "laan", "dal"}
	schoolForms = []struct{ format, letter string }{
		{"Het %s College", "C"}, {"%s Lyceum", "L"}, {"Scholengemeenschap %s", "S"},
		{"%scollege", "C"},
	}
)

// seedCities are invented schools' towns, with their holiday region.
var seedCities = []struct {
	name   string
	region Region
}{
	{"GRONINGEN", RegionNorth}, {"LEEUWARDEN", RegionNorth}, {"ASSEN", RegionNorth},
	{"ZWOLLE", RegionNorth}, {"DEVENTER", RegionNorth}, {"ENSCHEDE", RegionNorth},
	{"ALMERE", RegionNorth}, {"HAARLEM", RegionNorth}, {"ALKMAAR", RegionNorth},
	{"HOORN", RegionNorth}, {"AMSTERDAM", RegionNorth}, {"EMMEN", RegionNorth},
	{"UTRECHT", RegionMiddle}, {"AMERSFOORT", RegionMiddle}, {"ZEIST", RegionMiddle},
	{"ROTTERDAM", RegionMiddle}, {"LEIDEN", RegionMiddle}, {"DELFT", RegionMiddle},
	{"GOUDA", RegionMiddle}, {"DORDRECHT", RegionMiddle}, {"ZOETERMEER", RegionMiddle},
	{"NIEUWEGEIN", RegionMiddle}, {"WOERDEN", RegionMiddle}, {"HOUTEN", RegionMiddle},
	{"EINDHOVEN", RegionSouth}, {"TILBURG", RegionSouth}, {"BREDA", RegionSouth},
	{"MAASTRICHT", RegionSouth}, {"VENLO", RegionSouth}, {"HEERLEN", RegionSouth},
	{"NIJMEGEN", RegionSouth}, {"ARNHEM", RegionSouth}, {"MIDDELBURG", RegionSouth},
	{"OSS", RegionSouth}, {"HELMOND", RegionSouth}, {"ROERMOND", RegionSouth},
}

// Texts of seeded records.
var (
	sickRemarks     = []string{"Koorts", "Griep", "Buikpijn", "Hoofdpijn", "Verkouden"}
	messageSubjects = []string{"Ouderavond", "Excursie naar het museum", "Rapportvergadering",
		"Schoolfoto's", "Sportdag", "Toetsweek", "Mentorgesprekken", "Profielkeuze"}
)
