"""The roles of the access matrix and the expectation rows that several apps share (see test_access_matrix)."""

ROLES = ("anonymous", "staff", "contact_point", "other_contact_point", "expert", "applicant")
STAFF_ONLY = ("L", "ok", "404", "404", "404", "404")
SIGNED_IN = ("L", "ok", "ok", "ok", "ok", "ok")
PUBLIC = ("ok",) * 6
API_SIGNED_IN = ("401", "ok", "ok", "ok", "ok", "ok")
API_PUBLIC = PUBLIC
KENYA_PAGE = ("L", "ok", "ok", "404", "404", "404")
KENYA_WORKSHOP = ("L", "ok", "ok", "404", "ok", "404")  # the expert is assigned to it
EXPERTS_OWN = ("L", "ok", "404", "404", "ok", "404")
APPLICANTS_OWN = ("L", "404", "404", "404", "404", "ok")
APPLICATION_READERS = ("L", "ok", "ok", "404", "404", "ok")  # staff, the administration's contact point, the applicant
CONTACT_POINTS = ("L", "404", "ok", "ok", "404", "404")
