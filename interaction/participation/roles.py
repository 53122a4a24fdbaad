"""The model permissions public participation gives each role (least privilege [Q§17]).

The unit's liaison runs consultations, surveys and interviews and handles what citizens sent;
the operator may do the same everywhere; the inspector reads. Nobody deletes what a citizen
sent. InteractionConfig merges these into its role_permissions with with_participation().
"""

_READ = [
    "interaction.view_consultation",
    "interaction.view_consultationcomment",
    "interaction.view_survey",
    "interaction.view_surveyquestion",
    "interaction.view_surveychoice",
    "interaction.view_surveyresponse",
    "interaction.view_interview",
    "interaction.view_guest",
    "interaction.view_interviewquestion",
    "interaction.view_transcriptentry",
]
_RUN = [
    *_READ,
    "interaction.add_consultation",
    "interaction.change_consultation",
    "interaction.change_consultationcomment",
    "interaction.add_survey",
    "interaction.change_survey",
    "interaction.add_surveyquestion",
    "interaction.change_surveyquestion",
    "interaction.delete_surveyquestion",
    "interaction.add_surveychoice",
    "interaction.change_surveychoice",
    "interaction.delete_surveychoice",
    "interaction.add_interview",
    "interaction.change_interview",
    "interaction.add_guest",
    "interaction.change_guest",
    "interaction.delete_guest",
    "interaction.change_interviewquestion",
    "interaction.add_transcriptentry",
]

PARTICIPATION_ROLE_PERMISSIONS = {"liaison": _RUN, "operator": _RUN, "inspector": _READ}


def with_participation(role_permissions):
    """role_permissions with participation's permissions added to each role's list."""
    merged = {role: list(perms) for role, perms in role_permissions.items()}
    for role, perms in PARTICIPATION_ROLE_PERMISSIONS.items():
        merged[role] = [*merged.get(role, []), *perms]
    return merged
