// Starts the console in the language of the user who signed in last on this browser (remembered by the console), so
// that Blazor loads that culture's words and formats, and only the ICU data they need.
const language = localStorage.getItem("orderstream.language") === "de" ? "de" : "en";
Blazor.start({ applicationCulture: language });
