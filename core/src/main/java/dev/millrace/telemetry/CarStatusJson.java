package dev.millrace.telemetry;

import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link CarStatus} as its {@code carStatus} JSON, by hand: one is written for nearly
 * every fix, and a general-purpose mapper costs several times the race's own work. Speeds are
 * rounded to thousandths, so they are written exactly, without exponent.
 */
public final class CarStatusJson {
    private CarStatusJson() {}

    public static byte[] write(CarStatus status) {
        StringBuilder json = new StringBuilder(80);
        json.append("{\"timestamp\":")
                .append(status.timestamp())
                .append(",\"carIndex\":")
                .append(status.carIndex())
                .append(",\"type\":\"")
                .append(status.type().name())
                .append("\",\"value\":");
        Number value = status.value();
        if (value instanceof Integer || value instanceof Long) {
            json.append(value.longValue());
        } else {
            appendThousandths(json, value.doubleValue());
        }
        return json.append('}').toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The value to three decimals, trailing zeros dropped: 58.16, 44.739, 0.0. */
    static void appendThousandths(StringBuilder out, double value) {
        if (!Double.isFinite(value) || Math.abs(value) >= 1e15) {
            out.append(Double.isFinite(value) ? Double.toString(value) : "null");
            return;
        }
        long milli = Math.round(value * 1000);
        if (milli < 0) {
            out.append('-');
            milli = -milli;
        }
        out.append(milli / 1000).append('.');
        int fraction = (int) (milli % 1000);
        if (fraction == 0) {
            out.append('0');
            return;
        }
        char[] digits = {
            (char) ('0' + fraction / 100),
            (char) ('0' + fraction / 10 % 10),
            (char) ('0' + fraction % 10)
        };
        int length = digits[2] != '0' ? 3 : digits[1] != '0' ? 2 : 1;
        out.append(digits, 0, length);
    }
}
