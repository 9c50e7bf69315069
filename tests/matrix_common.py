"""What the permission matrix's rows expect, shared by tests/test_permissions.py and every
tests/matrix_<stage>.py: a status code (or LOGIN, a redirect to the login page) for each
persona of the cohort, and for the outsider, who holds a role in another cohort only."""

PERSONAS = ("anonymous", "staff", "observer", "leader", "participant", "outsider")
LOGIN = "login"  # anonymous users are sent to the login page (302 to /accounts/login/)

EVERYONE = {
    "anonymous": LOGIN,
    "staff": 200,
    "observer": 200,
    "leader": 200,
    "participant": 200,
    "outsider": 404,
}
MEMBERS = {**EVERYONE, "observer": 403}  # a community's members (leaders too) and staff
LEADERS = {**MEMBERS, "participant": 403}  # a community's leaders and staff
STAFF_ONLY = {**MEMBERS, "leader": 403, "participant": 403}
STAFF_ONLY_POST = {**STAFF_ONLY, "staff": 302}
REPORT = {**STAFF_ONLY, "observer": 200}  # staff, and observers who read aggregates
