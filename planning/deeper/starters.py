"""copkit's starter set of going-deeper activities, added to a cohort's list the first time
it is opened. Each ties a COP's own work to a training the TTA team gives, so that what was
taught is practised among peers. Staff edit or retire them like their own."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Starter:
    key: str
    title: str
    training: str
    description: str
    steps: tuple


STARTERS = (
    Starter(
        key="grant-review",
        title=_("Review each other's grant proposals"),
        training=_("grant writing"),
        description=_(
            "After a training on grant writing, members bring a proposal they are working on "
            "(or one section of it) and read each other's drafts the way a funder's reviewer "
            "would. Everyone leaves with concrete suggestions, and the group sees how the "
            "training's advice looks in real proposals."
        ),
        steps=(
            _("Before the meeting, each member who wants a review shares a draft or section."),
            _("Agree on the few things reviewers look at, taken from the training."),
            _("In pairs or small groups, read a draft and note its strengths and gaps."),
            _("Each reviewer gives feedback in turn; the writer listens, then asks questions."),
            _("Each writer names one change they will make before submitting."),
        ),
    ),
    Starter(
        key="case-study",
        title=_("Work through a case study together"),
        training=_("organizational capacity building"),
        description=_(
            "A case study describes a real capacity-building problem an organization faced. "
            "The group works through it as if it were their own: what is going on, what "
            "could be done, what they would try first. It turns a training's ideas into "
            "collective problem solving."
        ),
        steps=(
            _("Pick a case: one the TTA team provides, or a problem a member brings."),
            _("One person presents the situation in five minutes, without the outcome."),
            _("Members ask questions to understand it before anyone suggests an answer."),
            _("Brainstorm options; note what each would need and what could go wrong."),
            _("Agree on a recommendation and write down what the group learned from it."),
        ),
    ),
    Starter(
        key="work-plan-feedback",
        title=_("Give peer feedback on each other's work plans"),
        training=_("planning and work plans"),
        description=_(
            "Members share the work plan of a project or program and get feedback from peers "
            "who face similar challenges. Plans get sharper, and members discover where "
            "their organizations could work together."
        ),
        steps=(
            _("Each member who takes part shares a work plan a few days ahead."),
            _("Readers look at goals, steps, timing and how progress will be measured."),
            _("At the meeting, each plan gets ten minutes: what is strong, what is unclear."),
            _("Note any place where two members' plans could support each other."),
            _("Each member says what they will change in their plan."),
        ),
    ),
    Starter(
        key="member-led-training",
        title=_("A member leads a training"),
        training=_("running an effective online training"),
        description=_(
            "A member trains the others on something their organization does well. Rotating "
            "the trainer from meeting to meeting spreads the expertise already in the group "
            "and lets members practise what they learned about training others."
        ),
        steps=(
            _("Choose a topic from the expertise members listed, and who will lead it."),
            _("The trainer prepares a short session: the practice, an example, a tool to share."),
            _("Run the session, leaving half the time for questions and discussion."),
            _("Members say how they could use the practice in their own organization."),
            _("Agree who leads the next one, and share the trainer's materials."),
        ),
    ),
    Starter(
        key="improve-a-practice",
        title=_("Present a practice and improve it together"),
        training=_("the practice the training covered"),
        description=_(
            "A member presents how their organization does something today — intake, "
            "volunteer recruitment, board orientation — and the group discusses how to "
            "improve it, using what the training taught. A good result can be written up as "
            "a promising practice for other COPs."
        ),
        steps=(
            _("A member describes the practice as it is done today, step by step."),
            _("The group compares it with what the training recommended."),
            _("Members share how they handle the same task in their organizations."),
            _("Agree on two or three improvements the presenter will try."),
            _("Later, report back on what changed and capture it as a promising practice."),
        ),
    ),
    Starter(
        key="workspace-first-posts",
        title=_("Put the online workspace to use"),
        training=_("using the online workspace"),
        description=_(
            "After learning how the COP's online workspace works, members use it at once for "
            "something of value: asking the group for a resource they need, or sharing a tool "
            "they made. Early useful posts make the workspace a habit."
        ),
        steps=(
            _("Check that every member can log in to the workspace."),
            _("Each member posts one request for a resource, or one tool they want to share."),
            _("Members answer at least one other member's post."),
            _("At the next meeting, look at what was posted and what it led to."),
        ),
    ),
)
