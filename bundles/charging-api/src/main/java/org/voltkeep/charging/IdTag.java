package org.voltkeep.charging;

/**
 * The rule for id tags (the token that authorized a session), the same everywhere
 * a tag is accepted: 1..36 printable ASCII characters, OCPP's IdToken length. One
 * rule means a tag safety accepts can always travel in its status over the link.
 */
public final class IdTag {
    public static final int MAX_LENGTH = 36;

    private IdTag() {
    }

    public static boolean valid(String tag) {
        return tag != null && !tag.isEmpty() && tag.length() <= MAX_LENGTH
                && tag.chars().allMatch(c -> c >= 0x20 && c <= 0x7e) && !tag.isBlank();
    }

    /** Why a tag is refused, for error messages. */
    public static String rule() {
        return "an id tag is 1.." + MAX_LENGTH + " printable ASCII characters";
    }
}
