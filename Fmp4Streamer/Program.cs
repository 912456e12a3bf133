// Composition root: filled in as the layers land.
return 0;
