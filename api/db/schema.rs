//! The hand-kept schema, in types both engines share (see `docs/architecture.md`).

diesel::table! {
    users (id) {
        id -> Text,
        username -> Text,
        full_name -> Text,
        role -> Text,
        password_hash -> Text,
        disabled -> Bool,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        email -> Nullable<Text>,
        unit_id -> Nullable<Text>,
    }
}

diesel::table! {
    devices (id) {
        id -> Text,
        user_id -> Text,
        device_key -> Text,
        name -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        wm_base -> Nullable<BigInt>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        device_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        rotated_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (throttle_key) {
        throttle_key -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        retry_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(devices -> users (user_id));
diesel::joinable!(refresh_tokens -> devices (device_id));

diesel::table! {
    units (id) {
        id -> Text,
        code -> Text,
        name -> Text,
        name_folded -> Text,
        kind -> Text,
        parent_id -> Nullable<Text>,
        address -> Nullable<Text>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    teams (id) {
        id -> Text,
        name -> Text,
        lead_id -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    team_members (team_id, user_id) {
        team_id -> Text,
        user_id -> Text,
    }
}

diesel::table! {
    templates (id) {
        id -> Text,
        code -> Text,
        title -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    template_versions (id) {
        id -> Text,
        template_id -> Text,
        number -> Nullable<Integer>,
        status -> Text,
        content -> Text,
        content_hash -> Nullable<Text>,
        created_by -> Text,
        published_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    rounds (id) {
        id -> Text,
        name -> Text,
        kind -> Text,
        template_version_id -> Text,
        starts_on -> Date,
        ends_on -> Date,
        due_on -> Date,
        status -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        plan_number -> Nullable<Text>,
        plan_date -> Nullable<Date>,
    }
}

diesel::table! {
    assignments (id) {
        id -> Text,
        round_id -> Text,
        unit_id -> Text,
        team_id -> Text,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        due_on -> Nullable<Date>,
    }
}

diesel::table! {
    inspections (id) {
        id -> Text,
        round_id -> Text,
        unit_id -> Text,
        team_id -> Text,
        template_version_id -> Text,
        status -> Text,
        score -> Nullable<Double>,
        band -> Nullable<Text>,
        strengths -> Nullable<Text>,
        shortcomings -> Nullable<Text>,
        causes -> Nullable<Text>,
        return_reason -> Nullable<Text>,
        created_by -> Text,
        submitted_at -> Nullable<Timestamp>,
        approved_at -> Nullable<Timestamp>,
        approved_by -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        field_meta -> Nullable<Text>,
        place -> Nullable<Text>,
        held_at -> Nullable<Timestamp>,
        members -> Nullable<Text>,
        attendees -> Nullable<Text>,
    }
}

diesel::table! {
    answers (inspection_id, item_id) {
        inspection_id -> Text,
        item_id -> Text,
        value -> Nullable<Text>,
        na -> Bool,
        version -> BigInt,
        updated_by -> Text,
        updated_device -> Nullable<Text>,
        updated_at -> Timestamp,
        hlc -> Nullable<Text>,
    }
}

diesel::table! {
    recommendations (id) {
        id -> Text,
        inspection_id -> Text,
        content -> Text,
        responsible_unit_id -> Nullable<Text>,
        responsible -> Nullable<Text>,
        due_on -> Nullable<Date>,
        follow_up -> Text,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    comments (id) {
        id -> Text,
        inspection_id -> Text,
        item_id -> Nullable<Text>,
        author_id -> Text,
        body -> Text,
        version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    inspection_events (id) {
        id -> Text,
        inspection_id -> Text,
        from_status -> Text,
        to_status -> Text,
        actor_id -> Text,
        reason -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_id -> Nullable<Text>,
        device_id -> Nullable<Text>,
        action -> Text,
        entity -> Text,
        entity_id -> Text,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    sync_counter (id) {
        id -> Integer,
        seq -> BigInt,
    }
}

diesel::table! {
    change_heads (entity, entity_id) {
        entity -> Text,
        entity_id -> Text,
        seq -> BigInt,
        deleted -> Bool,
        team_id -> Nullable<Text>,
        round_id -> Nullable<Text>,
    }
}

diesel::table! {
    scope_exits (user_id, seq, entity, entity_id) {
        seq -> BigInt,
        user_id -> Text,
        entity -> Text,
        entity_id -> Text,
    }
}

diesel::table! {
    sync_mutations (mutation_id) {
        mutation_id -> Text,
        user_id -> Text,
        device_id -> Nullable<Text>,
        result -> Text,
        created_at -> Timestamp,
        content_hash -> Nullable<Text>,
    }
}

diesel::table! {
    scope_entries (id) {
        seq -> BigInt,
        user_id -> Text,
        team_id -> Nullable<Text>,
        round_id -> Nullable<Text>,
        id -> Text,
    }
}

diesel::table! {
    conflicts (id) {
        id -> Text,
        inspection_id -> Text,
        round_id -> Text,
        team_id -> Text,
        entity -> Text,
        entity_id -> Text,
        field -> Text,
        kind -> Text,
        reason -> Nullable<Text>,
        base_value -> Nullable<Text>,
        server_value -> Nullable<Text>,
        device_value -> Nullable<Text>,
        server_author -> Nullable<Text>,
        server_device -> Nullable<Text>,
        server_hlc -> Nullable<Text>,
        device_author -> Text,
        device_device -> Nullable<Text>,
        device_hlc -> Nullable<Text>,
        winner -> Text,
        mutation_id -> Text,
        status -> Text,
        resolution -> Nullable<Text>,
        resolved_value -> Nullable<Text>,
        resolved_by -> Nullable<Text>,
        resolved_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    blobs (sha256) {
        sha256 -> Text,
        size_bytes -> BigInt,
        media_type -> Text,
        width -> Integer,
        height -> Integer,
        orientation -> Integer,
        created_at -> Timestamp,
        phash -> Nullable<Text>,
    }
}

diesel::table! {
    evidence (id) {
        id -> Text,
        inspection_id -> Text,
        item_id -> Text,
        created_by -> Text,
        device_id -> Nullable<Text>,
        caption -> Nullable<Text>,
        claimed_taken_at -> Nullable<Timestamp>,
        claimed_latitude -> Nullable<Double>,
        claimed_longitude -> Nullable<Double>,
        upload_state -> Text,
        sha256 -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        media_type -> Nullable<Text>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        exif_taken_at -> Nullable<Text>,
        exif_latitude -> Nullable<Double>,
        exif_longitude -> Nullable<Double>,
        orientation -> Nullable<Integer>,
        uploaded_at -> Nullable<Timestamp>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    uploads (id) {
        id -> Text,
        evidence_id -> Text,
        user_id -> Text,
        length -> BigInt,
        received -> BigInt,
        metadata -> Nullable<Text>,
        expires_at -> Timestamp,
        created_at -> Timestamp,
    }
}

diesel::joinable!(team_members -> teams (team_id));
diesel::joinable!(assignments -> rounds (round_id));
diesel::joinable!(answers -> inspections (inspection_id));
diesel::joinable!(evidence -> inspections (inspection_id));

diesel::allow_tables_to_appear_in_same_query!(
    units,
    teams,
    team_members,
    templates,
    template_versions,
    rounds,
    assignments,
    inspections,
    answers,
    recommendations,
    comments,
    inspection_events,
    audit_log,
    sync_counter,
    change_heads,
    scope_exits,
    scope_entries,
    sync_mutations,
    conflicts,
    users,
    devices,
    refresh_tokens,
    login_attempts,
    blobs,
    evidence,
    uploads,
    report_conclusions,
    report_recommendations,
    document_settings,
    notifications,
    remedies,
    self_assessments,
    self_answers,
    bright_spots,
    bright_spot_reviews,
);

diesel::table! {
    report_conclusions (id) {
        id -> Text,
        round_id -> Text,
        team_id -> Text,
        body -> Text,
        version -> BigInt,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_recommendations (id) {
        id -> Text,
        round_id -> Text,
        team_id -> Text,
        replaces -> Text,
        grouping -> Nullable<Text>,
        content -> Text,
        responsible_unit_id -> Nullable<Text>,
        responsible -> Nullable<Text>,
        due_on -> Nullable<Date>,
        version -> BigInt,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    data_migrations (name) {
        name -> Text,
        applied_at -> Timestamp,
    }
}

diesel::table! {
    document_settings (id) {
        id -> Text,
        round_id -> Text,
        issuer -> Text,
        team_id -> Nullable<Text>,
        parent_body -> Nullable<Text>,
        issuer_name -> Nullable<Text>,
        number -> Nullable<Text>,
        issued_on -> Nullable<Date>,
        place -> Nullable<Text>,
        signer_authority -> Nullable<Text>,
        signer_title -> Nullable<Text>,
        signer_name -> Nullable<Text>,
        recipients -> Nullable<Text>,
        version -> BigInt,
        updated_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notifications (id) {
        id -> Text,
        user_id -> Text,
        kind -> Text,
        title -> Text,
        body -> Text,
        link -> Text,
        round_id -> Nullable<Text>,
        unit_id -> Nullable<Text>,
        dedupe_key -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        emailed_at -> Nullable<Timestamp>,
        email_attempts -> Integer,
        email_error -> Nullable<Text>,
        email_next_at -> Nullable<Timestamp>,
        seq -> BigInt,
    }
}

diesel::table! {
    remedies (id) {
        id -> Text,
        recommendation_id -> Text,
        note -> Text,
        follow_up -> Text,
        created_by -> Text,
        device_id -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(remedies -> recommendations (recommendation_id));

diesel::table! {
    self_assessments (id) {
        id -> Text,
        round_id -> Text,
        unit_id -> Text,
        template_version_id -> Text,
        status -> Text,
        score -> Nullable<Double>,
        band -> Nullable<Text>,
        submitted_at -> Nullable<Timestamp>,
        submitted_by -> Nullable<Text>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    self_answers (self_assessment_id, item_id) {
        self_assessment_id -> Text,
        item_id -> Text,
        value -> Nullable<Text>,
        na -> Bool,
        version -> BigInt,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(self_answers -> self_assessments (self_assessment_id));

diesel::table! {
    bright_spots (id) {
        id -> Text,
        unit_id -> Text,
        name -> Text,
        field -> Text,
        description -> Text,
        evidence -> Text,
        registered_on -> Date,
        status -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        version -> BigInt,
    }
}

diesel::table! {
    bright_spot_reviews (id) {
        id -> Text,
        bright_spot_id -> Text,
        round_id -> Text,
        reviewer -> Text,
        result -> Text,
        comment -> Text,
        reviewed_at -> Timestamp,
    }
}

diesel::joinable!(bright_spot_reviews -> bright_spots (bright_spot_id));
diesel::joinable!(bright_spots -> units (unit_id));

diesel::table! {
    attachments (id) {
        id -> Text,
        owner_kind -> Text,
        owner_id -> Text,
        filename -> Text,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    report_due_dates (year, kind) {
        year -> Integer,
        kind -> Text,
        due_on -> Date,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    report_due_overrides (year, kind, unit_id) {
        year -> Integer,
        kind -> Text,
        unit_id -> Text,
        due_on -> Date,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    unit_reports (id) {
        id -> Text,
        unit_id -> Text,
        year -> Integer,
        kind -> Text,
        submitted_by -> Text,
        submitted_at -> Timestamp,
    }
}

diesel::joinable!(unit_reports -> units (unit_id));
diesel::joinable!(report_due_overrides -> units (unit_id));
diesel::allow_tables_to_appear_in_same_query!(
    unit_reports,
    units,
    report_due_overrides,
    attachments
);
