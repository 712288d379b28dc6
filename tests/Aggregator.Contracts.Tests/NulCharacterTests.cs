using System.Text;
using Aggregator.Contracts.Wire;

namespace Aggregator.Contracts.Tests;

/// <summary>
/// U+0000 cannot be stored in PostgreSQL text, so a message carrying it would fail its whole journal batch long after
/// the producer was told "accepted": it is refused at the door instead, costing only that message.
/// </summary>
public sealed class NulCharacterTests
{
    [Theory]
    [InlineData("""{"op":"open","entry":"a\u0000b","operation":"Op"}""", "entry")]
    [InlineData("""{"op":"open","entry":"e","operation":"O\u0000p"}""", "operation")]
    [InlineData("""{"op":"set","entry":"e","field":"F","value":"x\u0000y"}""", "value")]
    [InlineData("""{"op":"failSlot","entry":"e","slot":"S","error":"\u0000"}""", "error")]
    [InlineData("""{"op":"open","entry":"e","operation":"Op","dimensions":{"Region":"e\u0000u"}}""", "dimensions")]
    public void A_string_with_nul_is_rejected_naming_the_property_and_the_rest_of_the_batch_counts(string bad, string property)
    {
        var body = Encoding.UTF8.GetBytes(bad + "\n" + """{"op":"close","entry":"e"}""" + "\n");

        var batch = WireBatchReader.Read(body, WireBodyFormat.NdJson);

        var rejection = Assert.Single(batch.Rejected);
        Assert.Equal(0, rejection.Index);
        Assert.Contains($"\"{property}\" must not contain the NUL character", rejection.Error);
        Assert.IsType<Close>(Assert.Single(batch.Messages));
    }
}
