package admin

import (
	"net/http"

	"github.com/opensom/opensom/internal/school"
)

// editRoutes mounts the editing part of the admin API on m.
func (a *Admin) editRoutes(m *http.ServeMux) {
	register(a, m, a.pupils())
	register(a, m, a.staff())
	register(a, m, a.accountsResource())
	register(a, m, a.subjects())
	register(a, m, a.groups())
	register(a, m, a.lessons())
	register(a, m, a.grades())
	register(a, m, a.homework())
	register(a, m, a.absences())
	register(a, m, a.observations())

	m.HandleFunc("PUT /_opensom/groups/{id}/pupils/{pupil}", a.handle(a.setMember(true)))
	m.HandleFunc("DELETE /_opensom/groups/{id}/pupils/{pupil}", a.handle(a.setMember(false)))
	m.HandleFunc("POST /_opensom/lessons/{id}/cancel",
		a.handle(a.setStatus(school.StatusCancelled)))
	m.HandleFunc("POST /_opensom/lessons/{id}/reinstate",
		a.handle(a.setStatus(school.StatusActive)))
	m.HandleFunc("POST /_opensom/lessons/{id}/move", a.handle(a.move))

	m.HandleFunc("GET /_opensom/schools", a.handle(a.listSchools))
	m.HandleFunc("GET /_opensom/schools/{school}/switches", a.handle(a.getSwitches))
	m.HandleFunc("PATCH /_opensom/schools/{school}/switches", a.handle(a.patchSwitches))

	m.HandleFunc("GET /_opensom/snapshots", a.handle(a.listSnapshots))
	m.HandleFunc("POST /_opensom/snapshots/{name}", a.handle(a.saveSnapshot))
	m.HandleFunc("POST /_opensom/snapshots/{name}/restore", a.handle(a.restoreSnapshot))
	m.HandleFunc("DELETE /_opensom/snapshots/{name}", a.handle(a.deleteSnapshot))
}
