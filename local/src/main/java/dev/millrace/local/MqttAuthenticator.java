package dev.millrace.local;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ListenerType;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks credentials against {@link MqttAccess} and gives each client its topic permissions. */
final class MqttAuthenticator implements SimpleAuthenticator {
    private final MqttAccess access;

    MqttAuthenticator(MqttAccess access) {
        this.access = access;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        Optional<String> user = input.getConnectPacket().getUserName();
        String password =
                input.getConnectPacket().getPassword().map(MqttAuthenticator::text).orElse("");
        boolean tls =
                input.getConnectionInformation()
                        .getListener()
                        .map(
                                l ->
                                        l.getListenerType() == ListenerType.TLS_TCP_LISTENER
                                                || l.getListenerType()
                                                        == ListenerType.TLS_WEBSOCKET_LISTENER)
                        .orElse(false);
        ModifiableDefaultPermissions permissions = output.getDefaultPermissions();
        if (user.isEmpty()) {
            if (tls || !access.anonymous()) {
                output.failAuthentication(
                        ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "credentials required");
                return;
            }
            for (String filter : access.reserved()) {
                permissions.add(permission(filter, TopicPermission.MqttActivity.PUBLISH, false));
            }
            permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
            output.authenticateSuccessfully();
            return;
        }
        if (user.get().equals(access.serviceUser()) && same(password, access.servicePassword())) {
            permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.ALLOW);
            output.authenticateSuccessfully();
            return;
        }
        String readerPassword = access.readers().get(user.get());
        if (readerPassword != null && same(password, readerPassword)) {
            permissions.add(permission("#", TopicPermission.MqttActivity.SUBSCRIBE, true));
            permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
            output.authenticateSuccessfully();
            return;
        }
        output.failAuthentication(
                ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, "bad user name or password");
    }

    private static TopicPermission permission(
            String filter, TopicPermission.MqttActivity activity, boolean allow) {
        return Builders.topicPermission()
                .topicFilter(filter)
                .activity(activity)
                .type(
                        allow
                                ? TopicPermission.PermissionType.ALLOW
                                : TopicPermission.PermissionType.DENY)
                .build();
    }

    private static String text(ByteBuffer bytes) {
        ByteBuffer copy = bytes.asReadOnlyBuffer();
        byte[] array = new byte[copy.remaining()];
        copy.get(array);
        return new String(array, StandardCharsets.UTF_8);
    }

    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
