package dev.millrace.wis2;

import dev.millrace.json.Json;

/** The notifications the core tests judge, written with {@link WnmBuilder}. */
final class Wnm {
    private Wnm() {}

    static final String DATA_ID =
            "ca-eccc-msc/data/core/weather/synop/WIGOS_0-20000-0-71395_20260315T120000";

    /** A notification of {@link #DATA_ID} with a member no schema knows, which must survive. */
    static WnmBuilder builder(String id, String pubtime) {
        return WnmBuilder.notification(id, DATA_ID, pubtime)
                .datetime("2026-03-15T12:00:00Z")
                .member("extra", Json.mapper().createObjectNode().put("kept", true));
    }

    static Notification notification(WnmBuilder builder) {
        return Notification.parse(builder.bytes());
    }

    static Notification canonical(String id, String pubtime) {
        return notification(
                builder(id, pubtime)
                        .link("canonical", "https://example.org/a.bufr4", "application/bufr"));
    }

    static Notification update(String id, String pubtime) {
        return notification(
                builder(id, pubtime)
                        .link("update", "https://example.org/a-v2.bufr4", null)
                        .link("via", "https://example.org/about", null));
    }

    static Notification noCache(String id, String pubtime) {
        return notification(
                builder(id, pubtime)
                        .cache(false)
                        .link("canonical", "https://example.org/a.bufr4", null));
    }
}
