"""The resident ledger 民情台账 (PRODUCT.md §2): households in buildings, residents, moves, care tags,
liaisons 包户, personal data and Excel in and out.

For other modules — stable names, keyword-only, always given the acting user:

    selectors.resident_list(*, actor, q="", place_code="", tag="", status="living", floating=None)
    selectors.resident_get(*, actor, resident_id)            # NotFound outside the actor's scope
    selectors.household_get(*, actor, household_id)
    selectors.resident_find_by_id_number(*, actor, id_number)  # Resident | None, via the keyed hash
    selectors.resident_find_by_phone(*, actor, phone)          # QuerySet (a family may share a phone)
    privacy.resident_search_pii(*, actor, value)              # a person's search by full ID/phone:
                                                              # "ledger.search_pii", audited, rate-limited
    services.resident_register / resident_update / resident_move_out / resident_move_to / ...

Scope is `policy.scope_q(actor, "ledger.view", field="place_code")`: every household, resident, move
and tag row carries its building's code. Personal data (ID numbers, phones) is stored as Fernet
ciphertext + keyed lookup hash + masked text (identity.py); pages and exports show only the masked
text (core/masking.py: the policy for every channel); `privacy.resident_reveal` (permission "ledger.reveal_pii") is the one audited way to see a value.

Timeline: the household and resident pages show one timeline that other modules add to without
editing this app — call `timeline.register_timeline_source(key, source, perm=...)` from your
AppConfig.ready(); `source(*, actor, household, resident_ids)` yields `timeline.TimelineEntry`
(see timeline.py for an example). The ledger registers its own moves and care tags the same way.

Demo: demo.py (`build(ctx)`, ~3,100 households / ~7,900 residents); city scale:
`manage.py ledger_scale --residents 1000000` (scale.py); import benchmark: bench/ledger_import/.
"""
