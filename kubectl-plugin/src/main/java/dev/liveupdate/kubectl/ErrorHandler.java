package dev.liveupdate.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns what a command throws into one clear line on stderr and an exit code; never a stack trace. */
final class ErrorHandler implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        cmd.getErr().println("error: " + describe(e));
        cmd.getErr().flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        if (e instanceof CliException c) {
            return c.exitCode();
        }
        if (e instanceof KubernetesClientException k && k.getCode() == 404) {
            return ExitCodes.NOT_FOUND;
        }
        return ExitCodes.API_ERROR;
    }

    static String describe(Throwable e) {
        if (e instanceof CliException) {
            return e.getMessage();
        }
        if (e instanceof KubernetesClientException k) {
            String status = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : null;
            if (k.getCode() > 0) {
                return "the API server answered " + k.getCode() + ": " + (status != null ? status : k.getMessage());
            }
            return "cannot reach the API server (check --kubeconfig, --context and the cluster): " + rootCause(k);
        }
        return e.getClass().getSimpleName() + ": " + rootMessage(e);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return t == e ? String.valueOf(m) : e.getMessage() + " (" + t.getClass().getSimpleName() + ": " + m + ")";
    }
}
