package sqlstore

import (
	"context"
	"fmt"

	"github.com/opensom/opensom/internal/school"
)

// GroupsOfPupils lists, for each of the pupils, the groups it belongs to,
// in one query.
func (s *Store) GroupsOfPupils(ctx context.Context, schoolID school.ID,
	pupilIDs []school.ID) (map[school.ID][]school.ID, error) {
	out := make(map[school.ID][]school.ID, len(pupilIDs))
	if len(pupilIDs) == 0 {
		return out, nil
	}
	q := `
		SELECT gp.pupil_id, gp.group_id
		FROM group_pupils gp
		JOIN class_groups g ON g.id = gp.group_id
		WHERE g.school_id = ? AND gp.pupil_id IN (` + placeholders(len(pupilIDs)) + `)
		ORDER BY gp.pupil_id, gp.group_id`
	type pair struct{ pupil, group int64 }
	rows, err := queryList(ctx, s.read, s.d, func(sc scanner, p *pair) error {
		return sc.Scan(&p.pupil, &p.group)
	}, q, append([]any{int64(schoolID)}, idArgs(pupilIDs)...)...)
	if err != nil {
		return nil, fmt.Errorf("load groups of pupils: %w", err)
	}
	for _, p := range rows {
		out[school.ID(p.pupil)] = append(out[school.ID(p.pupil)], school.ID(p.group))
	}
	return out, nil
}
