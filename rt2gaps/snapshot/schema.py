"""Column names and vocabularies of the committed snapshot tables, in one place."""

from __future__ import annotations

EVENTS_FILE = "events.csv"
STATES_FILE = "states.csv"
MANIFEST_FILE = "manifest.json"
DECLARATIONS_FILE = "declarations.csv"  # the statement table (reservations, declarations), where a source has one

EVENT_COLUMNS = [
    "instrument",
    "iso3",  # empty for a non-State participant; a historic code for a predecessor State
    "participant",  # the name as the source writes it
    "participant_kind",  # state | predecessor | non_state
    "act",  # see ACTS
    "date",  # ISO: YYYY-MM-DD (day precision) or YYYY (year precision); empty when the source gives none
    "date_precision",  # day | year | none
    "notified_date",  # for a denunciation: when it was notified, where the source says
    "source_key",
    "source_file",
    "source_as_of",
    "note",
]

CONSENT_ACTS = ("ratification", "accession", "succession", "acceptance", "approval", "formal_confirmation")
SIGNATURE_ACTS = ("signature", "succession_to_signature")
UNDO_ACTS = ("denunciation", "signature_withdrawn")
ACTS = SIGNATURE_ACTS + CONSENT_ACTS + UNDO_ACTS

STATE_COLUMNS = [
    "iso3",
    "iso2",
    "m49",
    "name_en",
    "name_fr",
    "un_name",
    "region_code",
    "region",
    "subregion_code",
    "subregion",
    "intermediate_code",
    "intermediate_region",
    "ldc",
    "lldc",
    "sids",
    "un_member",
    "un_membership_date",
    "ilo_member",
    "default_universe",
]
