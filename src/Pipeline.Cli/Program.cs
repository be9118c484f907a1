using Pipeline.Cli;

return await CommandCatalogue.InvokeAsync(args, TimeProvider.System).ConfigureAwait(false);
