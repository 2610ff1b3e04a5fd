package dev.millrace.wis2;

/**
 * WIS2 MQTT topics: {@code origin/a/wis2/<centre-id>/data/<core|recommended>/...} as published by
 * WIS2 Nodes, and the same under {@code cache/} as republished by Global Caches.
 */
public final class Wis2Topics {
    private Wis2Topics() {}

    /** The centre id, topic level 4; null when the topic is not a WIS2 data topic. */
    public static String centreId(String topic) {
        String[] levels = topic.split("/", -1);
        return levels.length > 4 && levels[1].equals("a") && levels[2].equals("wis2")
                ? levels[3]
                : null;
    }

    /** Data under {@code .../data/recommended/...} is not the Global Cache's to cache. */
    public static boolean isRecommended(String topic) {
        String[] levels = topic.split("/", -1);
        return levels.length > 5 && levels[4].equals("data") && levels[5].equals("recommended");
    }

    /** Discovery metadata: {@code .../metadata/...} at level 5. */
    public static boolean isMetadata(String topic) {
        String[] levels = topic.split("/", -1);
        return levels.length > 4 && levels[4].equals("metadata");
    }

    /**
     * The topic a Global Cache republishes on: the same with {@code cache} as its first level.
     *
     * @throws IllegalArgumentException when the topic is not under {@code origin/} or {@code
     *     cache/}
     */
    public static String cacheTopic(String topic) {
        if (topic.startsWith("origin/")) {
            return "cache/" + topic.substring("origin/".length());
        }
        if (topic.startsWith("cache/")) {
            return topic;
        }
        throw new IllegalArgumentException("not a WIS2 topic: " + topic);
    }
}
