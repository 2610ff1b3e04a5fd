package dev.millrace.wis2;

import java.nio.charset.StandardCharsets;

/** Notifications written out for tests. */
final class Wnm {
    private Wnm() {}

    static final String DATA_ID =
            "ca-eccc-msc/data/core/weather/synop/WIGOS_0-20000-0-71395_20260315T120000";

    static String json(String id, String pubtime, String properties, String links) {
        return """
        {"id": "%s", "conformsTo": ["http://wis.wmo.int/spec/wnm/1/conf/core"],
         "type": "Feature", "geometry": null,
         "properties": {"data_id": "%s", "metadata_id": "urn:wmo:md:ca-eccc-msc:synop",
                        "pubtime": "%s", "datetime": "2026-03-15T12:00:00Z"%s},
         "links": [%s],
         "extra": {"kept": true}}
        """
                .formatted(id, DATA_ID, pubtime, properties, links);
    }

    static Notification notification(String id, String pubtime, String properties, String links) {
        return Notification.parse(
                json(id, pubtime, properties, links).getBytes(StandardCharsets.UTF_8));
    }

    static Notification canonical(String id, String pubtime) {
        return notification(
                id,
                pubtime,
                "",
                "{\"rel\": \"canonical\", \"href\": \"https://example.org/a.bufr4\", \"type\":"
                        + " \"application/bufr\"}");
    }

    static Notification update(String id, String pubtime) {
        return notification(
                id,
                pubtime,
                "",
                "{\"rel\": \"update\", \"href\": \"https://example.org/a-v2.bufr4\"},"
                        + " {\"rel\": \"via\", \"href\": \"https://example.org/about\"}");
    }

    static Notification noCache(String id, String pubtime) {
        return notification(
                id,
                pubtime,
                ", \"cache\": false",
                "{\"rel\": \"canonical\", \"href\": \"https://example.org/a.bufr4\"}");
    }
}
