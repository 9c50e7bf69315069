"""factory_boy factories for copkit's models."""

import datetime

import factory
from django.utils import timezone

from cohorts.models import (
    Activity,
    Cohort,
    CohortRole,
    Community,
    FormationEntry,
    FormationLock,
    FormationProposal,
    FormationRound,
    FormationTopic,
    Invitation,
    Membership,
    Organization,
    Participant,
    ProposedGroup,
    ProposedMember,
    Topic,
)
from copkit.models import User
from planning import models as planning

PASSWORD = "correct horse battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    starts_on = datetime.date(2026, 9, 1)
    ends_on = datetime.date(2027, 6, 30)


class CohortRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CohortRole

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)
    role = CohortRole.Role.STAFF


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Neighborhood Services {n}")
    state = "VA"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    cohort = factory.SubFactory(CohortFactory)
    organization = factory.SubFactory(OrganizationFactory, cohort=factory.SelfAttribute("..cohort"))
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"participant{n}@example.org")


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    participant = factory.SubFactory(ParticipantFactory)
    cohort = factory.SelfAttribute("participant.cohort")
    send_count = 1
    last_sent_at = factory.LazyFunction(timezone.now)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Topic {n}")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Community {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    community = factory.SubFactory(CommunityFactory)
    participant = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..community.cohort")
    )
    role = Membership.Role.MEMBER


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    cohort = factory.SubFactory(CohortFactory)
    verb = "updated participant"
    target = factory.Sequence(lambda n: f"Person {n}")


# -- planning: surveys, live polls, the inventory, dot voting, interviews --


class SurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Survey

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Needs survey {n}")
    kind = planning.Survey.Kind.NEEDS
    status = planning.Survey.Status.OPEN


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Question

    survey = factory.SubFactory(SurveyFactory)
    position = factory.Sequence(lambda n: n)
    kind = planning.Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Question {n}?")
    choices = factory.LazyFunction(lambda: ["Board development", "Raising funds", "Staff"])


class SurveyRecipientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.SurveyRecipient

    survey = factory.SubFactory(SurveyFactory)
    participant = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..survey.cohort")
    )
    sent_at = factory.LazyFunction(timezone.now)


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.LiveSession

    survey = factory.SubFactory(SurveyFactory)


class InventoryEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.InventoryEntry

    participant = factory.SubFactory(ParticipantFactory)
    kind = planning.InventoryEntry.Kind.NEED
    topic = factory.SubFactory(TopicFactory, cohort=factory.SelfAttribute("..participant.cohort"))
    description = factory.Sequence(lambda n: f"Something we need {n}")


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Connection

    community = factory.SubFactory(CommunityFactory)
    need = factory.SubFactory(
        InventoryEntryFactory,
        participant__cohort=factory.SelfAttribute("...community.cohort"),
    )
    helper = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..community.cohort")
    )


class CommonNeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.CommonNeed

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Common need {n}")


class InterviewRotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.InterviewRotation

    community = factory.SubFactory(CommunityFactory)
    questions = "What motivates you to do your work?\nWhat are you proudest of?"


# -- planning: action plans and meetings --


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.ActionPlan

    community = factory.SubFactory(CommunityFactory)


class PlanPartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.PlanPart

    plan = factory.SubFactory(ActionPlanFactory)
    key = "potential"
    data = factory.LazyFunction(lambda: {"potential": "Ten pantries sharing one volunteer pool."})
    revision = 1


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Meeting

    community = factory.SubFactory(CommunityFactory)
    title = factory.Sequence(lambda n: f"Monthly meeting {n}")
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(days=7)).replace(
            minute=0, second=0, microsecond=0
        )
    )
    duration_minutes = 90


class FormationRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationRound

    cohort = factory.SubFactory(CohortFactory)
    name = factory.Sequence(lambda n: f"Formation round {n}")
    method = FormationRound.Method.MATCHING
    size_min = 3
    size_max = 5


class FormationEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationEntry

    round = factory.SubFactory(FormationRoundFactory)
    participant = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..round.cohort")
    )


class FormationTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationTopic

    round = factory.SubFactory(FormationRoundFactory, method=FormationRound.Method.TOPIC)
    name = factory.Sequence(lambda n: f"Subject area {n}")


class FormationLockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationLock

    round = factory.SubFactory(FormationRoundFactory)
    first = factory.SubFactory(ParticipantFactory, cohort=factory.SelfAttribute("..round.cohort"))
    second = factory.SubFactory(ParticipantFactory, cohort=factory.SelfAttribute("..round.cohort"))
    kind = FormationLock.Kind.TOGETHER


class FormationProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FormationProposal

    round = factory.SubFactory(FormationRoundFactory)
    number = factory.Sequence(lambda n: n + 1)


class ProposedGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedGroup

    proposal = factory.SubFactory(FormationProposalFactory)
    label = factory.Sequence(lambda n: f"g{n + 1}")
    name = factory.Sequence(lambda n: f"Group {n + 1}")


class ProposedMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposedMember

    group = factory.SubFactory(ProposedGroupFactory)
    proposal = factory.SelfAttribute("group.proposal")
    participant = factory.SubFactory(
        ParticipantFactory, cohort=factory.SelfAttribute("..group.proposal.round.cohort")
    )
