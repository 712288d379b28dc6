using System.Net;

namespace Aggregator.Contracts.Client;

/// <summary>
/// A batch the client gave up on: its messages were not applied (or, after a connection failure mid-request, may
/// have been). <see cref="Status"/> is the last answer, null when there was none (connection refused, timeout).
/// </summary>
public sealed record BatchFailure(int Messages, HttpStatusCode? Status, string Error, Exception? Exception);

/// <summary>A message the service refused (its <c>index</c> in the batch and the reader's error), e.g. a negative delta.</summary>
public sealed record MessageRejection(IEntryMessage Message, string Error);
