package sqlstore

import "github.com/opensom/opensom/internal/school"

// importRecords writes the parts of a world that migration 0004 keeps.
// Study guides go before their homework, and everything after the
// pupils, groups and accounts it refers to.
func importRecords(l *loader, w *school.World) error {
	steps := []func() error{
		func() error { return loadSwitches(l, w.Switches) },
		func() error { return loadHolidays(l, w.Holidays) },
		func() error { return loadLessonHours(l, w.LessonHours) },
		func() error { return loadAbsenceReasons(l, w.AbsenceReasons) },
		func() error { return loadAbsenceReports(l, w.AbsenceReports) },
		func() error { return loadObservations(l, w.Observations) },
		func() error { return loadMeasures(l, w.Measures) },
		func() error { return loadGuides(l, w.StudyGuides) },
		func() error { return loadHomework(l, w.Homework) },
		func() error { return loadConversations(l, w.Conversations) },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func loadSwitches(l *loader, xs []school.Switch) error {
	b := l.batch("school_switches", "school_id", "name", "is_on")
	return each(b, xs, func(b *batch, x school.Switch) error {
		return b.add(int64(x.SchoolID), x.Name, bit(x.On))
	})
}

func loadHolidays(l *loader, xs []school.Holiday) error {
	b := l.batch("holidays", "id", "school_id", "name", "from_date", "to_date")
	return each(b, xs, func(b *batch, x school.Holiday) error {
		return b.add(int64(x.ID), int64(x.SchoolID), x.Name, dateText(x.From), dateText(x.To))
	})
}

func loadLessonHours(l *loader, xs []school.LessonHour) error {
	b := l.batch("lesson_hours", "school_id", "number", "begin_time", "end_time")
	return each(b, xs, func(b *batch, x school.LessonHour) error {
		return b.add(int64(x.SchoolID), x.Number, x.Begin, x.End)
	})
}

func loadAbsenceReasons(l *loader, xs []school.AbsenceReason) error {
	b := l.batch("absence_reasons", "id", "school_id", "abbrev", "description", "kind",
		"authorised")
	return each(b, xs, func(b *batch, x school.AbsenceReason) error {
		return b.add(int64(x.ID), int64(x.SchoolID), x.Abbrev, x.Description, x.Kind,
			bit(x.Authorised))
	})
}

func loadAbsenceReports(l *loader, xs []school.AbsenceReport) error {
	b := l.batch("absence_reports", "id", "school_id", "pupil_id", "reason_id", "staff_id",
		"entered_at", "start_at", "end_at", "begin_hour", "end_hour", "handled", "remarks")
	return each(b, xs, func(b *batch, x school.AbsenceReport) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.PupilID), int64(x.ReasonID),
			int64(x.StaffID), millis(x.Entered), millis(x.Start), nullMillis(x.End),
			x.BeginHour, x.EndHour, bit(x.Handled), x.Remarks)
	})
}

func loadObservations(l *loader, xs []school.Observation) error {
	b := l.batch("observations", "id", "school_id", "pupil_id", "lesson_id", "reason_id",
		"staff_id", "kind", "registration", "authorised", "handled", "entered_at", "start_at",
		"end_at", "begin_hour", "end_hour")
	return each(b, xs, func(b *batch, x school.Observation) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.PupilID), int64(x.LessonID),
			int64(x.ReasonID), int64(x.StaffID), x.Kind, x.Registration, bit(x.Authorised),
			bit(x.Handled), millis(x.Entered), millis(x.Start), millis(x.End), x.BeginHour,
			x.EndHour)
	})
}

func loadMeasures(l *loader, xs []school.Measure) error {
	b := l.batch("measures", "id", "school_id", "pupil_id", "name", "measure_date", "done",
		"remarks", "automatic", "cause")
	return each(b, xs, func(b *batch, x school.Measure) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.PupilID), x.Name,
			dateText(x.Date), bit(x.Done), x.Remarks, bit(x.Automatic), x.Cause)
	})
}

func loadGuides(l *loader, xs []school.StudyGuide) error {
	b := l.batch("study_guides", "id", "school_id", "group_id", "uuid", "name")
	return each(b, xs, func(b *batch, x school.StudyGuide) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.GroupID), x.UUID, x.Name)
	})
}

func loadHomework(l *loader, xs []school.Homework) error {
	b := l.batch("homework", "id", "school_id", "guide_id", "group_id", "item_id", "year_id",
		"kind", "lesson_id", "due_at", "iso_year", "week_from", "week_to", "topic", "hw_type",
		"description", "created_at", "sort_order")
	return each(b, xs, func(b *batch, x school.Homework) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.GuideID), int64(x.GroupID),
			int64(x.ItemID), int64(x.YearID), string(x.Kind), int64(x.LessonID), millis(x.Due),
			x.ISOYear, x.WeekFrom, x.WeekTo, x.Topic, x.Type, x.Description,
			millis(x.Created), x.Order)
	})
}

func loadConversations(l *loader, xs []school.Conversation) error {
	b := l.batch("conversations", "id", "school_id", "sender_id", "subject", "body", "sent_at")
	err := each(b, xs, func(b *batch, x school.Conversation) error {
		return b.add(int64(x.ID), int64(x.SchoolID), int64(x.SenderID), x.Subject, x.Body,
			millis(x.Sent))
	})
	if err != nil {
		return err
	}
	b = l.batch("conversation_recipients", "conversation_id", "seq", "account_id", "is_read")
	return each(b, xs, func(b *batch, x school.Conversation) error {
		for i, id := range x.Recipients {
			if err := b.add(int64(x.ID), i, int64(id), 0); err != nil {
				return err
			}
		}
		return nil
	})
}
